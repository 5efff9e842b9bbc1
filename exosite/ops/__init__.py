"""Operations: the content version that keeps the page cache exact
(`exosite.kernel.pagecache`, `exosite.kernel.parts`).

A sub-app of its own (label `ops`) so that its table and migrations stay apart from the
content apps'. It imports no app: the tables it watches are found through the app
registry: the apps that declared content kinds (`exosite.ops.versions.watch_app`).
"""
