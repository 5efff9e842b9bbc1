from django import forms
from django.contrib import admin

from exosite.kernel import languages
from exosite.kernel.admin import ProblemsFilter, PublishableAdmin, PublishableForm
from exosite.kernel.importing import ImportExportAdmin

from .kinds import name_key
from .models import Term
from .resources import TermResource


class TermForm(PublishableForm):
    """Synonyms are names of this term only. A name that belongs to another term (its name,
    abbreviation or one of its synonyms) is refused, since [[name]] and the auto-links
    could then lead to either: that term is linked under Related terms instead. Names
    compare as cross-links find them (`name_key`: any case, apostrophe or spacing), among
    the terms of the same language (each language has its own glossary)."""

    def clean_aliases(self):
        aliases = {}
        for line in self.cleaned_data["aliases"].splitlines():
            alias = " ".join(line.split())
            if alias:
                aliases.setdefault(name_key(alias), alias)  # the same name twice: once
        name = self.cleaned_data.get("name") or self.instance.name
        errors = []
        if name and name_key(name) in aliases:
            errors.append(f"“{aliases.pop(name_key(name))}” is this term's own name.")
        taken = other_names(self.instance.pk, self.language()) if aliases else {}
        for key, alias in aliases.items():
            if key in taken:
                errors.append(taken_message(alias, *taken[key]))
        if errors:
            raise forms.ValidationError(errors)
        return "\n".join(aliases.values())

    def language(self):
        """The language the term is saved in (its field is cleaned after the synonyms)."""
        if "language" in self.fields:
            code = languages.normalise(self["language"].data)
            if code:
                return code
        return self.instance.language or languages.SOURCE


def other_names(pk, language=languages.SOURCE):
    """{name key: (term name, "name" | "abbreviation" | "synonym")} of every term of
    `language` but the one with `pk`, drafts included."""
    names = {}
    others = (
        Term.objects.filter(language=language)
        .exclude(pk=pk)
        .only("name", "abbreviation", "aliases")
    )
    for term in others:
        for alias in term.alias_list:
            names.setdefault(name_key(alias), (term.name, "synonym"))
        if term.abbreviation:
            names[name_key(term.abbreviation)] = (term.name, "abbreviation")
    for term in others:  # evaluated once: the second loop reads the fetched rows
        names[name_key(term.name)] = (term.name, "name")  # a term of its own says most
    return names


def taken_message(alias, term, role):
    if role == "name":
        return f"“{alias}” is a term of its own: link it under Related terms instead."
    if role == "abbreviation":
        return (
            f"“{alias}” is the abbreviation of “{term}”, a term of its own: link “{term}” "
            "under Related terms instead."
        )
    return (
        f"“{alias}” is already a synonym of “{term}”: a name can stand for one term only. "
        f"If they are different ideas, link “{term}” under Related terms instead."
    )


@admin.register(Term)
class TermAdmin(ImportExportAdmin, PublishableAdmin):
    form = TermForm
    resource_classes = (TermResource,)
    list_display = (
        "name",
        "abbreviation",
        "status",
        "is_live",
        "autolink",
        "tag_list",
        "updated_at",
    )
    list_filter = ("status", ProblemsFilter, "autolink", "tags")
    search_fields = ("name", "abbreviation", "aliases", "short_definition")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("related", "reviewer")
    fieldsets = (
        (None, {"fields": ("name", "slug", "abbreviation", "aliases", "autolink")}),
        (
            "Pronunciation",
            {
                "fields": ("pronunciation", "pronunciation_audio"),
                "description": "Both optional, shown under the term's name. Write the "
                "respelling only when you are sure how the term is said; a recording "
                "needs the respelling beside it for visitors who cannot play sound.",
            },
        ),
        (
            "Definition",
            {
                "fields": ("short_definition", "definition", "related"),
                "description": "In plain language, for anyone: what visitors see first, "
                "and what the tooltips show.",
            },
        ),
        (
            "Technical definition",
            {
                "fields": ("technical_definition",),
                "description": "Optional, for health professionals and researchers. "
                "Visitors can switch to it on the term page (“Technical”); it is reviewed "
                "and cited like the plain definition.",
            },
        ),
        PublishableAdmin.review_fieldset,
        PublishableAdmin.publishing_fieldset,
    )
