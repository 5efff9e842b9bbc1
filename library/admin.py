"""The reference library's admin: paste a DOI, PubMed ID or exported record and the form
fills itself; a reference's edits have a history; a cited reference cannot be deleted,
and its page lists what cites it."""

import copy
from dataclasses import dataclass, field

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.forms.utils import ErrorDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from exosite.kernel import kinds

from . import importing, lookup, parsing
from .identifiers import normalise_doi, normalise_pmid
from .models import Citation, Reference, unique_key

FILL = "_fill"
PASTE_LABEL = "Paste a DOI, PubMed ID, BibTeX, RIS or CSL-JSON"
# What the paste can fill, in the form's order.
FILLED = ("authors", "title", "journal", "year", "volume", "issue", "pages", "doi", "pmid", "url")
DETAILS = (
    "authors",
    "title",
    "journal",
    ("year", "volume", "issue", "pages"),
    "doi",
    "pmid",
    "url",
)


def change_url(reference):
    return reverse("admin:library_reference_change", args=[quote(reference.pk)])


def already_there(name, value, exclude=None):
    """The reference that already has this DOI or PubMed ID, or None."""
    if not value:
        return None
    return Reference.objects.filter(**{name: value}).exclude(pk=exclude).first()


def duplicate_message(reference, label):
    return format_html(
        'This {} is already in the library: <a href="{}">{}</a> ({}). Cite that one '
        "instead of adding it again.",
        label,
        change_url(reference),
        reference.key,
        reference.citation[:120],
    )


class PasteWidget(forms.Textarea):
    """The paste box and the button that reads it."""

    template_name = "library/paste_widget.html"


class ReferenceForm(forms.ModelForm):
    paste = forms.CharField(
        label=PASTE_LABEL,
        required=False,
        widget=PasteWidget(attrs={"rows": 5, "cols": 80, "spellcheck": "false"}),
        help_text="For example 10.1002/jev2.12404, 38326288, or a record exported from a "
        "reference manager or a journal's page. “Fill in the fields” reads it and looks "
        "the DOI or PubMed ID up at Crossref and PubMed; check the fields, then save.",
    )
    # Set by ReferenceAdmin.get_form after "Fill in the fields": shown under the paste box.
    fill_problems = ()

    class Meta:
        model = Reference
        fields = ("key", *FILLED)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "key" in self.fields:
            self.fields["key"].required = False
            self.fields["key"].help_text = (
                "Cite it in the text as [@key]. Left empty, it is made from the first "
                "author and year (e.g. welsh2024). It cannot change once saved."
            )
        if self.fill_problems and not self.is_bound:
            # An unbound form has no errors of its own; these belong to the paste box.
            problems = self.error_class(list(self.fill_problems), field_id=self["paste"].auto_id)
            self._errors = ErrorDict(paste=problems)

    def clean_doi(self):
        return self.unique_identifier("doi", normalise_doi, "DOI")

    def clean_pmid(self):
        return self.unique_identifier("pmid", normalise_pmid, "PubMed ID")

    def unique_identifier(self, name, normalise, label):
        value = normalise(self.cleaned_data.get(name, ""))
        if existing := already_there(name, value, exclude=self.instance.pk):
            raise ValidationError(duplicate_message(existing, label), code="duplicate")
        return value

    def _post_clean(self):
        super()._post_clean()
        typed_url = self.data.get(self.add_prefix("url"))
        if (self.has_error("doi") or self.has_error("pmid")) and not typed_url:
            # An identifier was given, only not a valid one: that is the error to fix, not
            # "give a DOI, a PubMed ID or an address" (the model saw neither).
            self.errors.pop("url", None)

    def clean(self):
        data = super().clean()
        if data.get("paste") and not (data.get("authors") or data.get("title")):
            self.add_error(
                "paste", "Press “Fill in the fields” to read what you pasted, then save."
            )
        return data


@dataclass
class Fill:
    """What "Fill in the fields" puts in the add form, and what to tell the editor."""

    initial: dict
    problems: list = field(default_factory=list)


def fill(request):
    """Read the paste box, look the identifiers up, and fill the form with the result over
    what was typed (problems keep what was typed as it was)."""
    typed = {name: request.POST.get(name, "").strip() for name in (*FILLED, "key")}
    text = request.POST.get("paste", "")
    initial = {**{k: v for k, v in typed.items() if v}, "paste": text}
    try:
        parsed = parsing.parse(text)
    except parsing.ParseError as error:
        return Fill(initial, [str(error)])
    problems = list(parsed.problems)
    if len(parsed.entries) > 1:
        problems.append(
            f"The {parsed.format} holds {len(parsed.entries)} records: the first was used. "
            "Add the others one at a time."
        )
    found = lookup.complete(parsed.entries[0])
    problems.extend(found.problems)
    initial.update({name: value for name, value in found.fields.items() if value})
    if not typed["key"] and initial.get("authors"):
        initial["key"] = unique_key(initial["authors"], initial.get("year"))
    for name, label in (("doi", "DOI"), ("pmid", "PubMed ID")):
        if existing := already_there(name, initial.get(name)):
            problems.insert(0, duplicate_message(existing, label))
            break
    details = [name for name in FILLED if found.fields.get(name)]
    if set(details) - {"doi", "pmid"}:
        origin = " and ".join([f"the {parsed.format}", *found.sources])
        if parsed.format in ("DOI", "PubMed ID", "text"):
            origin = " and ".join(found.sources) or f"the {parsed.format}"
        messages.info(request, f"Filled in from {origin}: check the fields, then save.")
    return Fill(initial, problems)


@admin.register(Reference)
class ReferenceAdmin(SimpleHistoryAdmin):
    form = ReferenceForm
    list_display = ("key", "citation_text", "year", "doi", "pmid", "times_cited")
    list_display_links = ("key",)
    search_fields = ("key", "title", "authors", "doi", "pmid", "journal")
    list_filter = ("year",)
    list_per_page = 50
    history_list_display = ("doi", "pmid")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(times_cited=Count("citations"))

    # -- a file of many references ------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "import-file/",
                self.admin_site.admin_view(self.import_file_view),
                name="library_reference_import_file",
            ),
            *super().get_urls(),
        ]

    def import_file_view(self, request):
        """Upload a .bib or .ris file, see what each entry would do (added, already in the
        library, an error with its entry number), then confirm: the new ones are added,
        all together. The confirmation carries the file's text and reads it again."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import references from a BibTeX or RIS file",
            "max_entries": importing.MAX_ENTRIES,
        }
        if request.method == "POST":
            upload = request.FILES.get("file")
            text, name = request.POST.get("text", ""), request.POST.get("file_name", "")
            try:
                if upload is not None:
                    text, name = importing.decode(upload.read()), upload.name
                reading = importing.read(text) if text.strip() else None
            except importing.FileError as error:
                context["problem"] = f"The file {name} was not imported: {error}"
                reading = None
            else:
                if reading is None:
                    context["problem"] = "Choose a .bib or .ris file."
            if reading is not None and "confirm" in request.POST and not reading.errors:
                added = importing.add(reading, request.user, name)
                messages.success(
                    request,
                    f"{len(added)} references added from {name}; "
                    f"{reading.count(importing.EXISTING)} were in the library already.",
                )
                return redirect("admin:library_reference_changelist")
            context.update({"reading": reading, "text": text, "file_name": name})
        return TemplateResponse(request, "admin/library/reference/import_file.html", context)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return (
                (None, {"fields": ("paste",)}),
                ("The reference", {"fields": (*DETAILS, "key")}),
            )
        return (
            (None, {"fields": ("key", *DETAILS)}),
            ("Cited in", {"fields": ("cited_in",)}),
        )

    def get_readonly_fields(self, request, obj=None):
        return ("key", "cited_in") if obj is not None else ()

    # -- the changelist ----------------------------------------------------------------

    @admin.display(description="Citation", ordering="authors")
    def citation_text(self, obj):
        return obj.citation

    @admin.display(description="Times cited", ordering="times_cited")
    def times_cited(self, obj):
        return obj.times_cited

    # -- "Fill in the fields" ---------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is None and request.method == "POST" and FILL in request.POST:
            if not self.has_add_permission(request):
                raise PermissionDenied
            # Show the add form again, filled (as a GET shows it with initial values),
            # instead of saving it; the POST itself has passed the CSRF check.
            result = fill(request)
            request = copy.copy(request)
            request.method = "GET"
            request.reference_fill = result
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_changeform_initial_data(self, request):
        result = getattr(request, "reference_fill", None)
        return result.initial if result else super().get_changeform_initial_data(request)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        result = getattr(request, "reference_fill", None)
        if result and result.problems:
            form = type(form.__name__, (form,), {"fill_problems": tuple(result.problems)})
        return form

    # -- what cites it -------------------------------------------------------------------

    @admin.display(description="Cited in")
    def cited_in(self, obj):
        rows = list(
            Citation.objects.filter(reference=obj)
            .select_related("content_type")
            .order_by("content_type", "object_id")
        )
        if not rows:
            return "Nothing cites it yet."
        by_type = {}
        for row in rows:
            by_type.setdefault(row.content_type, {})[row.object_id] = row.position
        items = []
        for content_type, positions in by_type.items():
            model = content_type.model_class()
            if model is None:
                continue
            kind = kinds.for_model(model)
            label = kind.singular_label if kind else capfirst(model._meta.verbose_name)
            found = model._base_manager.in_bulk(list(positions))
            for pk, position in positions.items():
                item = found.get(pk)
                if item is None:
                    items.append((label, f"#{pk} (deleted)", "", position))
                    continue
                title = kind.title(item) if kind else str(item)
                items.append((label, title, self.item_url(model, pk), position))
        items.sort(key=lambda item: (item[0], str(item[1]).lower()))
        return format_html(
            '<ul class="cited-in">{}</ul>',
            format_html_join(
                "",
                "<li>{}</li>",
                ((self.item_link(*item),) for item in items),
            ),
        )

    def item_url(self, model, pk):
        if not self.admin_site.is_registered(model):
            return ""
        opts = model._meta
        try:
            return reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                args=[quote(pk)],
            )
        except NoReverseMatch:
            return ""

    @staticmethod
    def item_link(label, title, url, position):
        if url:
            return format_html(
                '{}: <a href="{}">{}</a> (its reference {})', label, url, title, position
            )
        return format_html("{}: {} (its reference {})", label, title, position)

    # -- deleting ------------------------------------------------------------------------

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            count = Citation.objects.filter(reference=obj).count()
            if count:
                self.message_user(request, refusal(obj, count), messages.ERROR)
                return redirect(change_url(obj))
        return super().delete_view(request, object_id, extra_context)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            # Not Django's list of Citation rows: which references, cited how often.
            pks = [obj.pk for obj in objs]
            cited = (
                Reference.objects.filter(pk__in=pks)
                .annotate(times=Count("citations"))
                .filter(Q(times__gt=0))
            )
            protected = [
                format_html(
                    '<a href="{}">{}</a> is cited by {} (listed under “Cited in” on its page): '
                    "take [@{}] out of their text first.",
                    change_url(ref),
                    ref.key,
                    "an item" if ref.times == 1 else f"{ref.times} items",
                    ref.key,
                )
                for ref in cited
            ]
        return deleted, counts, perms_needed, protected


def refusal(reference, count):
    items = "an item cites" if count == 1 else f"{count} items cite"
    return (
        f"“{reference.key}” cannot be deleted: {items} it (listed under “Cited in”). "
        f"Take [@{reference.key}] out of their text first."
    )
