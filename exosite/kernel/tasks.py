"""Background work, through Django's tasks framework.

The default backend runs a task at once, in the request that enqueued it; configure a
worker backend in TASKS to move it out of the request.
"""

from django.tasks import task

from . import mentions


@task
def refresh_mentions(phrases: list[str]) -> int:
    """Re-link the content that contains any of `phrases` (after a glossary change)."""
    return mentions.refresh_mentions_containing(phrases)
