"""Operations: the content version that keeps the page cache exact (`exosite.cache`).

A sub-app of its own (label `ops`) so that its table and migrations stay apart from the
content apps'. It imports no app: the tables it watches are found through the app
registry (settings.EXOSITE_CONTENT_APPS).
"""
