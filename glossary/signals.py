"""A glossary change re-records the mentions of exactly the content it can affect."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from exosite.kernel.mentions import refreshing
from exosite.kernel.tasks import refresh_mentions

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
    transaction.on_commit(lambda: refresh_mentions.enqueue(phrases))


@receiver(post_delete, sender=Term)
def term_deleted(sender, instance, **kwargs):
    if not refreshing():
        return
    phrases = sorted({p for p in term_phrases(instance) if p})
    transaction.on_commit(lambda: refresh_mentions.enqueue(phrases))
