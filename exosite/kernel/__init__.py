"""The kernel: what every content app stands on, and nothing that stands on them.

It imports no content app (articles, glossary, faq, trust) and nothing of the site-wide
composition (exosite.urls, exosite.views, exosite.search, ...): apps declare their content
kinds to it (`exosite.kernel.kinds`) in `AppConfig.ready`, and it loops over what they
declared. The contract in `.importlinter` keeps this true; `ARCHITECTURE.md` draws
the layers.
"""
