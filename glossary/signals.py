"""A glossary change re-records the mentions of exactly the content it can affect: a task
(exosite.kernel.tasks), run by the worker in production. Until it has run, pages are right
(their glossary links are resolved on view, keyed by the glossary's version); only the
backlinks and related content drawn from the stored mentions wait for it."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from exosite.kernel.mentions import refreshing
from exosite.kernel.tasks import enqueue_after_commit, refresh_mentions

from .models import Term


def term_phrases(term):
    return [term.name, term.abbreviation, *term.alias_list]


@receiver(pre_save, sender=Term)
def remember_old_phrases(sender, instance, raw=False, **kwargs):
    if raw or not refreshing():
        return
    old = Term.objects.filter(pk=instance.pk).first() if instance.pk else None
    instance._old_phrases = term_phrases(old) if old else []


@receiver(post_save, sender=Term)
def term_saved(sender, instance, raw=False, **kwargs):
    if raw or not refreshing():
        return
    phrases = sorted({p for p in [*instance._old_phrases, *term_phrases(instance)] if p})
    enqueue_after_commit(refresh_mentions, phrases)


@receiver(post_delete, sender=Term)
def term_deleted(sender, instance, **kwargs):
    if not refreshing():
        return
    phrases = sorted({p for p in term_phrases(instance) if p})
    enqueue_after_commit(refresh_mentions, phrases)
