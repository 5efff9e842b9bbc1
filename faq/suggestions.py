"""'Look before you ask': published FAQ entries, glossary terms and articles that may
already answer what a visitor is typing, FAQ entries first. Found by site search
(stemmed words, the glossary's synonyms and related terms), which the FAQ reaches through
the kernel (`exosite.kernel.answers`)."""

from exosite.kernel import answers

LIMIT = 5


def suggest(text):
    """Up to five {kind, title, url, summary} dicts, best first."""
    return answers.find(text, LIMIT)
