"""Importing and exporting content as spreadsheets (CSV, Excel), on django-import-export.

Each content app declares a `ContentResource` for its kind (glossary/resources.py,
faq/resources.py) and names it on its content kind (`ContentKind.import_resource`); the
admin gets import and export through `ImportExportAdmin`, the command line through
`manage.py import_content`. What every import here does:

- Every row is in one language: a "Language" column (the code, "en" or "es", or the
  language's name, "English" or "Español", in any case; English when the column or the
  cell is empty). Rows are keyed on (language, slug), or on (language, title) (a term's
  name, an FAQ question) when the slug cell is empty, since slugs and names are unique
  within a language only: importing the same file twice changes nothing the second time
  (rows "Unchanged").
- A translation names its original in a "Translation of" column, by the original's slug
  in the source language (English; "es:slug" for an original in another language). The
  originals of a file are imported before its translations, so a file may hold both.
  What a row names (related terms, an FAQ topic) is looked for in the row's language.
- Nothing is published by an import: new rows are drafts, and an updated row goes back to
  draft (its text changed since it was sent for review). A row that would change a
  published (or scheduled) item is refused, with the reason, and so the whole file: an
  import never changes what visitors see without a review. Unchanged published rows are
  fine, so a file exported from the admin imports back unchanged.
- Every row is checked as the admin's form checks it (the model's validators, the
  Markdown limits, the kind's own rules) and an error names its row, as the spreadsheet
  numbers it (the headings are row 1), and its column.
- The whole file is one transaction: a file with any error writes nothing. A file that
  cannot be read (not UTF-8, not a workbook, unknown or missing columns) is refused with
  what is wrong and where.
- Each imported item keeps a revision, like an admin edit, naming who imported it and
  from which file.
- The per-save work of linking (exosite.kernel.mentions) is deferred during the import
  and done once after it commits, as one task: linking the imported items and re-linking
  what mentions them. Ten thousand rows do not re-link the site ten thousand times.
"""

import contextlib
import csv
import io
import string
import unicodedata
import zipfile
from dataclasses import dataclass, field

import tablib
from django.contrib import messages
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.shortcuts import redirect
from django.tasks import task
from django.utils.text import slugify
from import_export import fields, resources, widgets
from import_export.admin import ExportActionMixin, ImportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import RowResult

from exosite.models import Status

from . import kinds, languages, mentions
from .admin import validate_markdown
from .tasks import enqueue_after_commit

FORMATS = (CSV, XLSX)
# Rows the admin imports in one request. The preview and the import each take about 13 ms
# a row on the reference machine (bench/README.md), so 500 rows stay well inside a
# request's time limit (gunicorn's 30 s). A larger file goes through `manage.py
# import_content` (progress and a summary, no request time limit).
ADMIN_MAX_ROWS = 500
# Rows the preview lists one by one (the totals count them all).
PREVIEW_ROWS = 500
# A file of more phrases than this re-links everything once rather than searching for them.
MAX_PHRASES = 300
LIST_SEPARATOR = ";"


class FileProblem(Exception):
    """A file that cannot be imported at all; str() says what and where, for the editor."""


def column_letter(index):
    """0 -> "A", 25 -> "Z", 26 -> "AA": how spreadsheets name columns."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = string.ascii_uppercase[rest] + letters
    return letters


def split_list(value):
    """ "a; b;; c " -> ["a", "b", "c"] (also one per line), in order, each once."""
    text = "" if value is None else str(value)
    names = [" ".join(part.split()) for line in text.splitlines() for part in line.split(";")]
    return list(dict.fromkeys(name for name in names if name))


def join_list(names):
    return f"{LIST_SEPARATOR} ".join(names)


def cell_text(value):
    """A cell as text: Excel gives numbers and None, CSV gives strings."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_file(data, file_format, name=""):
    """A tablib Dataset from the bytes of an uploaded file, or FileProblem saying why not."""
    dataset = read_csv(data) if file_format == "csv" else read_xlsx(data)
    if not dataset.headers or not any(cell_text(h) for h in dataset.headers):
        raise FileProblem(f"{name or 'The file'} is empty: the first row should hold the headings.")
    return dataset


def read_csv(data):
    """CSV as UTF-8 (a byte-order mark is fine); a row longer than the headings is
    refused (a cell would have no column), a shorter one is padded."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileProblem(
            f"The file is not UTF-8 text: byte {error.start + 1} (row {line}) cannot be "
            "read. Save it as “CSV UTF-8” (Excel: File › Save As; LibreOffice: character "
            "set Unicode (UTF-8)) and try again."
        ) from None
    if "\x00" in text:
        raise FileProblem("The file is not CSV text (it holds binary data).")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as error:
        raise FileProblem(f"Row {reader.line_num} could not be read as CSV ({error}).") from None
    dataset = tablib.Dataset()
    if not rows:
        return dataset
    headers, width = rows[0], len(rows[0])
    dataset.headers = headers
    for number, row in enumerate(rows[1:], 2):
        if len(row) > width:
            if any(cell.strip() for cell in row[width:]):
                raise FileProblem(
                    f"Row {number} has more cells than there are headings (column "
                    f"{column_letter(width)} has no heading)."
                )
            row = row[:width]
        dataset.append(row + [""] * (width - len(row)))
    return dataset


def read_xlsx(data):
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise FileProblem(
            "The file is not an Excel workbook (.xlsx): it could not be opened. Save it "
            "from Excel or LibreOffice as .xlsx, or choose CSV."
        )
    try:
        return XLSX().create_dataset(data)
    except Exception as error:  # openpyxl raises what its readers raise
        raise FileProblem(
            f"The Excel workbook could not be read ({type(error).__name__}: {error}). Open "
            "it in Excel or LibreOffice and save it again as .xlsx."
        ) from None


def language_code(value):
    """The site's code of the language a cell names: its code ("es", "ES", "es-MX") or its
    name in itself or in English ("Español", "espanol", "Spanish"), in any case; the
    source language for an empty cell; None for anything else."""
    text = fold(strip_accents(cell_text(value)))
    if not text:
        return languages.SOURCE
    for code, name in languages.names().items():
        if text in {code, fold(strip_accents(name)), fold(languages.english_name(code))}:
            return code
    return languages.normalise(text) if "-" in text else None


def strip_accents(text):
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def language_choices():
    return " or ".join(f"{code} ({name})" for code, name in languages.names().items())


class LanguageWidget(widgets.CharWidget):
    """The "Language" cell: a language's code or name; its code on export."""

    def clean(self, value, row=None, **kwargs):
        code = language_code(value)
        if code is None:
            raise ValueError(
                f"“{cell_text(value)[:60]}” is not a language of this site: use "
                f"{language_choices()}, or leave the cell empty for English."
            )
        return code

    def render(self, value, obj=None, **kwargs):
        return value or languages.SOURCE


class TranslationWidget(widgets.ForeignKeyWidget):
    """The "Translation of" cell: the original item by its slug in the source language
    ("exosome"), or "es:slug" for an original in another language; empty for an
    original. Looked up when the row is imported, so an original saved by an earlier row
    of the same file is found."""

    def __init__(self):
        super().__init__(None)
        self.found = {}

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        language, slug = languages.SOURCE, text
        prefix, colon, rest = text.partition(":")
        if colon and language_code(prefix) is not None and prefix.strip():
            language, slug = language_code(prefix), rest.strip()
        key = (language, slug)
        if key not in self.found:
            item = self.model.objects.filter(language=language, slug=slug).first()
            if item is None:
                name = languages.names().get(language, language)
                raise ValueError(
                    f"There is no {self.model._meta.verbose_name} with the slug “{slug}” in "
                    f"{name} to translate: name the original by its slug (the last part of "
                    "its address), or leave the cell empty for an original."
                )
            self.found[key] = item
        return self.found[key]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if value.language == languages.SOURCE:
            return value.slug
        return f"{value.language}:{value.slug}"


class LanguageSlugLoader(BaseInstanceLoader):
    """Finds each row's item by its language and slug (slugs are unique per language),
    with one query for the whole file."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        slug_column = resource.fields["slug"].column_name
        language_column = resource.fields["language"].column_name
        self.columns = (language_column, slug_column)
        slugs = {row.get(slug_column) for row in dataset.dict if row.get(slug_column)}
        self.items = {}
        if slugs:
            for item in resource.get_queryset().filter(slug__in=slugs):
                self.items[item.language, item.slug] = item

    def get_instance(self, row):
        language, slug = (cell_text(row.get(column)) for column in self.columns)
        return self.items.get((language, slug))


@dataclass
class Columns:
    """The columns a file has, matched to the resource's fields."""

    fields: dict = field(default_factory=dict)  # column index -> resource field name


class ContentResource(resources.ModelResource):
    """A content kind as rows: see the module's docstring for what an import does.

    Subclasses declare their fields with readable `column_name`s (and list "language" and
    "translation_of", declared here, among their `Meta.fields`), `title_field` (the field
    that finds an item when its slug cell is empty), `required_columns`, and may extend
    `check_row` (the kind's own rules) and `save_lists` (tags, relations)."""

    language = fields.Field("language", "Language", widget=LanguageWidget())
    translation_of = fields.Field("translation_of", "Translation of", widget=TranslationWidget())

    title_field = "name"
    required_columns = ()
    list_fields = ()  # fields written after the item is saved (tags, relations)

    class Meta:
        import_id_fields = ("language", "slug")
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        clean_model_instances = True
        skip_html_diff = True
        instance_loader_class = LanguageSlugLoader

    def __init__(self, user=None, progress=None, file_name="", **kwargs):
        super().__init__(**kwargs)
        self.fields["translation_of"].widget.model = self._meta.model
        self.user = user
        self.progress = progress
        self.file_name = file_name
        self.changed = []  # (pk, phrases before, phrases after) of each saved item
        self.pending_lists = []  # (item, row) whose lists are set once every row is saved

    # -- columns --------------------------------------------------------------------

    @classmethod
    def column_names(cls):
        return [f.column_name for f in cls().get_import_fields()]

    def match_headers(self, headers):
        """{header index: field} for the file's headings, matched in any case and by the
        column name, the field's name or the model field's label; FileProblem for a
        heading that matches nothing or a required column that is missing."""
        known = {}
        for name, resource_field in self.fields.items():
            labels = {resource_field.column_name, name}
            attribute = resource_field.attribute
            if attribute:
                labels.add(attribute)
                with contextlib.suppress(FieldDoesNotExist):
                    labels.add(str(self._meta.model._meta.get_field(attribute).verbose_name))
            for label in labels:
                known.setdefault(fold(label), name)
        matched = {}
        for index, header in enumerate(headers):
            text = cell_text(header)
            if not text:
                continue
            name = known.get(fold(text))
            if name is None:
                raise FileProblem(
                    f"Column {column_letter(index)} (row 1), “{text[:60]}”, is not a column "
                    f"this import knows. Use: {', '.join(self.column_names())}."
                )
            if name in matched.values():
                raise FileProblem(
                    f"Column {column_letter(index)} (row 1), “{text[:60]}”, repeats the "
                    f"column “{self.fields[name].column_name}”."
                )
            matched[index] = name
        missing = [
            self.fields[name].column_name
            for name in self.required_columns
            if name not in matched.values()
        ]
        if missing:
            raise FileProblem(
                f"The file has no column “{missing[0]}” (row 1 should name the columns: "
                f"{', '.join(self.column_names())})."
            )
        return matched

    # -- before and after the rows ---------------------------------------------------------

    def import_data_inner(
        self, dataset, dry_run, raise_errors, using_transactions, *args, **kwargs
    ):
        """A file that cannot be read as this kind's rows is refused before any row."""
        try:
            self.normalise(dataset)
        except FileProblem as problem:
            result = self.get_result_class()()
            result.total_rows = len(dataset)
            self.handle_import_error(result, problem, raise_errors)
            return result
        return super().import_data_inner(
            dataset, dry_run, raise_errors, using_transactions, *args, **kwargs
        )

    def normalise(self, dataset):
        """Headings to column names, cells to text, each row's language to its code (an
        unknown one is left as written, for the row's error), originals before
        translations, and each row's slug found: from the slug cell, else the item of the
        same language and title, else made from the title."""
        matched = self.match_headers(dataset.headers or [])
        self.line_numbers = []  # the spreadsheet's number of each row imported
        width = len(dataset.headers)
        rows, numbers = [], []
        for number, row in enumerate(dataset, 2):
            if len(row) > width and any(cell_text(c) for c in row[width:]):
                raise FileProblem(
                    f"Row {number} has more cells than there are headings (column "
                    f"{column_letter(width)} has no heading)."
                )
            values = {}
            for index, name in matched.items():
                values[name] = cell_text(row[index]) if index < len(row) else ""
            if any(values.values()):  # blank rows are left out, the others keep their number
                values["language"] = language_code(values.get("language")) or values["language"]
                rows.append(values)
                numbers.append(number)
        # A translation's original may be a later row of the file: originals go first (each
        # row keeps its spreadsheet number for its messages).
        order = sorted(range(len(rows)), key=lambda i: bool(rows[i].get("translation_of")))
        rows = [rows[i] for i in order]
        self.line_numbers = [numbers[i] for i in order]
        self.fill_slugs(rows)
        names = list(dict.fromkeys([*matched.values(), "language", "slug"]))
        dataset.wipe()
        dataset.headers = [self.fields[name].column_name for name in names]
        for values in rows:
            dataset.append([values.get(name, "") for name in names])
        self.total = len(dataset)
        self.prepare(rows)

    def prepare(self, rows):
        """Hook: read what the rows' checks need once (existing names, topics)."""

    def fill_slugs(self, rows):
        """Within each row's language: the slug of the item of the same title, else one
        made from the title that no item of that language has."""
        model = self._meta.model
        titles, taken = {}, set()
        stored = model.objects.values_list("language", self.title_field, "slug")
        for language, title, slug in stored:
            titles[language, fold(title)] = slug
            taken.add((language, slug))
        for values in rows:
            if values.get("slug"):
                continue
            language = values.get("language", languages.SOURCE)
            title = values.get(self.title_field, "")
            slug = titles.get((language, fold(title)))
            if slug is None and title:
                base = slugify(title)[:190] or "item"
                slug, n = base, 2
                while (language, slug) in taken:
                    slug, n = f"{base}-{n}", n + 1
                taken.add((language, slug))
                titles[language, fold(title)] = slug
            values["slug"] = slug or ""

    def import_data(self, dataset, dry_run=False, **kwargs):
        with mentions.deferred():
            return super().import_data(dataset, dry_run=dry_run, **kwargs)

    def handle_import_error(self, result, error, raise_errors=False):
        if isinstance(error, FileProblem) and raise_errors:
            raise error
        super().handle_import_error(result, error, raise_errors=raise_errors)

    def after_import_row(self, row, row_result, **kwargs):
        if self.progress:
            self.progress(kwargs.get("row_number", 0), getattr(self, "total", None))

    def line(self, number):
        """The spreadsheet's number of imported row `number` (1 for the first)."""
        lines = getattr(self, "line_numbers", ())
        return lines[number - 1] if 0 < number <= len(lines) else number + 1

    def after_import(self, dataset, result, **kwargs):
        """Once every row is saved: the lists (which may name items further down the
        file), then the linking of what changed, once, after the commit."""
        result.line = self.line
        if result.has_errors() or result.has_validation_errors():
            return
        for item, row in self.pending_lists:
            self.save_lists(item, row)
        if not kwargs.get("dry_run") and self.changed:
            kind = kinds.for_model(self._meta.model)
            keys = [f"{kind.name}:{pk}" for pk, _, _ in self.changed]
            phrases = sorted({p for _, old, new in self.changed for p in (*old, *new) if p})
            enqueue_after_commit(relink_imported, keys, phrases)

    # -- one row ------------------------------------------------------------------------

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name in self.list_fields:
            resource_field = self.fields[name]
            if resource_field.column_name in row:
                values = split_list(row[resource_field.column_name])
                problem = self.check_list(name, instance, values)
                if problem:
                    errors.setdefault(name, []).append(problem)
        if errors:
            raise ValidationError(errors)

    def check_list(self, name, instance, values):
        """Hook: what is wrong with a list cell (tags, related items), or ""."""
        return ""

    def skip_row(self, instance, original, row, import_validation_errors=None):
        instance._import_original = original  # what the item was: its old names
        if import_validation_errors or original is None or original.pk is None:
            return False
        if not super().skip_row(instance, original, row, import_validation_errors):
            return False
        return not self.changed_lists(original, row)

    def changed_lists(self, original, row):
        """The list columns of `row` that would change what `original` has."""
        changed = []
        for name in self.list_fields:
            column = self.fields[name].column_name
            if column not in row:
                continue
            stored = self.stored_list(name, original) if original.pk else set()
            if self.wanted_list(name, row) != stored:
                changed.append(column)
        return changed

    def wanted_list(self, name, row):
        """The list cell `name` of `row`, as a set of comparable keys."""
        return {fold(v) for v in split_list(row[self.fields[name].column_name])}

    def stored_list(self, name, instance):
        """Hook: the list `name` of `instance` as stored, as comparable keys."""
        return set()

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The admin's checks, each error keyed by its column, and the editorial rule:
        an import changes no published item."""
        errors = dict(import_validation_errors or {})
        try:
            super().validate_instance(instance, errors, validate_unique=validate_unique)
        except ValidationError as error:
            errors = error.update_error_dict({})
        for name in getattr(self._meta.model, "markdown_fields", {}):
            if name not in errors and getattr(instance, name, ""):
                try:
                    validate_markdown(getattr(instance, name))
                except ValidationError as error:
                    errors.setdefault(name, []).extend(error.messages)
        for name, messages_ in self.check_row(instance).items():
            errors.setdefault(name, []).extend(messages_)
        if not instance._state.adding and instance.status == Status.PUBLISHED:
            when = "published" if instance.is_published else "scheduled to be published"
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                f"“{getattr(instance, self.title_field)}” is {when}: an import does not change "
                "what visitors see. Make this change in the admin, or unpublish it there "
                "first (it goes back to draft), then import again."
            )
        if errors:
            raise ValidationError(self.by_column(errors))

    def check_row(self, instance):
        """Hook: {field name: [messages]} of the kind's own rules for one row."""
        return {}

    def by_column(self, errors):
        """Errors keyed by the columns an editor sees instead of field names."""
        columns = {}
        for resource_field in self.fields.values():
            if resource_field.attribute:
                columns.setdefault(resource_field.attribute, resource_field.column_name)
        for name, resource_field in self.fields.items():
            columns.setdefault(name, resource_field.column_name)
        keyed = {}
        for name, found in errors.items():
            key = name if name == NON_FIELD_ERRORS else columns.get(name, name)
            for each in found if isinstance(found, list) else [found]:
                texts = each.messages if isinstance(each, ValidationError) else [str(each)]
                keyed.setdefault(key, []).extend(texts)
        return keyed

    def before_save_instance(self, instance, row, **kwargs):
        original = getattr(instance, "_import_original", None)
        stored = original is not None and original.pk is not None
        instance._import_old_phrases = self.phrases(original) if stored else []
        instance.status = Status.DRAFT  # an import never publishes; a changed item is a draft
        if stored and original.translation_of_id != instance.translation_of_id:
            # Now the translation of another item: made from that one as it is now (the
            # model records it on save, as for a new translation).
            instance.translated_fingerprint = ""
        if self.user is not None and self.user.pk is not None:
            instance._history_user = self.user
        reason = f"Imported from {self.file_name}" if self.file_name else "Imported"
        instance._change_reason = reason

    def phrases(self, instance):
        """What other content can mention `instance` by: its address ("kind:slug"); a
        term adds its names."""
        kind = kinds.for_model(self._meta.model)
        return [f"{kind.name}:{instance.slug}"]

    def after_save_instance(self, instance, row, **kwargs):
        self.changed.append((instance.pk, instance._import_old_phrases, self.phrases(instance)))

    def save_m2m(self, instance, row, **kwargs):
        if self.list_fields:
            self.pending_lists.append((instance, row))

    def save_lists(self, instance, row):
        """Hook: write the list cells of `row` to the saved `instance`."""

    # -- preview ------------------------------------------------------------------------

    def import_row(self, row, instance_loader, **kwargs):
        row_result = super().import_row(row, instance_loader, **kwargs)
        row_result.title = row.get(self.fields[self.title_field].column_name, "")
        # The preview names a row's language when it is not the source language.
        language = row.get(self.fields["language"].column_name, languages.SOURCE)
        row_result.language_name = (
            "" if language == languages.SOURCE else languages.names().get(language, language)
        )
        row_result.line = self.line(kwargs.get("row_number", 0))
        if row_result.import_type == RowResult.IMPORT_TYPE_UPDATE and row_result.original:
            try:
                row_result.changed_columns = self.changed_columns(row_result.original, row)
            except (ValueError, ValidationError):
                row_result.changed_columns = []
        return row_result

    def changed_columns(self, original, row):
        changed = []
        for resource_field in self.get_import_fields():
            if resource_field.column_name not in row or not resource_field.attribute:
                continue
            new = resource_field.clean(row)
            if (new or "") != (getattr(original, resource_field.attribute) or ""):
                changed.append(resource_field.column_name)
        return [*changed, *self.changed_lists(original, row)]


def fold(text):
    return " ".join(str(text or "").casefold().replace("_", " ").split())


@task
def relink_imported(keys: list[str], phrases: list[str]) -> int:
    """After an import: link each imported item ("kind:pk") once, then re-link what can
    mention them (their names and addresses), or everything for a very large import."""
    if len(phrases) > MAX_PHRASES:  # the imported items are among everything
        return mentions.refresh_all_mentions()
    done = 0
    for key in keys:
        if (item := mentions.item(key)) is not None:
            mentions.record_mentions(item)
            done += 1
    return done + mentions.refresh_mentions_containing(phrases)


# -- the admin ----------------------------------------------------------------------------


def summary(result):
    totals = result.totals
    parts = [
        f"{totals[RowResult.IMPORT_TYPE_NEW]:,} new",
        f"{totals[RowResult.IMPORT_TYPE_UPDATE]:,} updated",
        f"{totals[RowResult.IMPORT_TYPE_SKIP]:,} unchanged",
    ]
    errors = totals[RowResult.IMPORT_TYPE_ERROR] + totals[RowResult.IMPORT_TYPE_INVALID]
    errors += len(result.base_errors)
    parts.append(f"{errors:,} with errors" if errors != 1 else "1 with errors")
    return ", ".join(parts)


def row_messages(result, limit=None):
    """["Row 3, column “Name”: message", ...]: spreadsheet rows (the headings are row 1)."""
    line = getattr(result, "line", lambda number: number + 1)
    found = [str(error.error) for error in result.base_errors]
    for row in result.invalid_rows:
        for column, messages_ in row.error_dict.items():
            where = f"Row {line(row.number)}" + (
                "" if column == NON_FIELD_ERRORS else f", column “{column}”"
            )
            found.extend(f"{where}: {message}" for message in messages_)
    for number, errors in result.row_errors():
        found.extend(f"Row {line(number)}: {error.error}" for error in errors)
    return found[:limit] if limit else found


class ImportExportAdmin(ImportMixin, ExportActionMixin):
    """Import (with a preview) and export (all, the filtered list, or the selected rows)
    for a content kind's admin; put it first among the admin's bases."""

    formats = FORMATS
    # The list's Import and Export buttons (and "Export selected" among the actions).
    import_export_change_list_template = "admin/import_export/change_list_import_export.html"
    import_template_name = "admin/exosite/import.html"
    import_error_display = ("message",)
    skip_admin_log = False
    # The change form stays the content admin's own (previews, live Markdown, review,
    # share links: exosite.kernel.admin.PublishableAdmin), not the library's, which adds
    # only an "Export" button for the one item and took all of that away.
    change_form_template = "admin/exosite/change_form.html"
    show_change_form_export = False

    def has_import_permission(self, request):
        # Importing adds and changes items: both rights (Medical reviewers may change but
        # not add, so do not import).
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        name = ""
        if form is not None and hasattr(form, "cleaned_data"):
            upload = form.cleaned_data.get("import_file")
            name = getattr(upload, "name", "") or form.cleaned_data.get("original_file_name", "")
        return {"user": request.user, "file_name": name}

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs.pop("request", None)
        # A row that fails when confirmed (something changed since the preview) undoes
        # the whole import: nothing is half-written.
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def import_action(self, request, **kwargs):
        if request.method == "POST" and request.FILES.get("import_file"):
            upload = request.FILES["import_file"]
            problem = self.file_problem(request, upload)
            if problem:
                messages.error(request, problem)
                return redirect(request.path)
        response = super().import_action(request, **kwargs)
        result = getattr(response, "context_data", {}).get("result")
        if result is not None:
            response.context_data["summary"] = summary(result)
            response.context_data["problems"] = row_messages(result, limit=200)
            response.context_data["preview_rows"] = result.valid_rows()[:PREVIEW_ROWS]
            response.context_data["preview_more"] = max(0, len(result.valid_rows()) - PREVIEW_ROWS)
        return response

    def file_problem(self, request, upload):
        """Why an uploaded file cannot be imported at all, before the preview, or ""."""
        choice = request.POST.get("format", "")
        formats = self.get_import_formats()
        try:
            fmt = formats[int(choice)]
        except (ValueError, IndexError):
            return ""  # the form says so
        name = fmt().get_title().lower()
        data = upload.read()
        upload.seek(0)
        try:
            dataset = read_file(data, "xlsx" if name == "xlsx" else "csv", upload.name)
            resource = self.get_import_resource_classes(request)[0]()
            resource.match_headers(dataset.headers)
        except FileProblem as problem:
            return f"The file {upload.name} was not imported: {problem}"
        if len(dataset) > ADMIN_MAX_ROWS:
            return (
                f"The file {upload.name} has {len(dataset):,} rows: the admin imports up to "
                f"{ADMIN_MAX_ROWS:,} at a time. Split the file, or ask whoever runs the "
                f"site to run “manage.py import_content {kinds.for_model(self.model).name} "
                f"{upload.name}”, which imports any number of rows the same way and shows "
                "its progress."
            )
        return ""

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            problems = row_messages(result, limit=20)
            messages.error(
                request,
                "Nothing was imported: the file no longer imports cleanly (something "
                "changed since the preview). " + " ".join(problems),
            )
            meta = self.model._meta
            return redirect(f"admin:{meta.app_label}_{meta.model_name}_import")
        self.generate_log_entries(result, request)
        messages.success(
            request,
            f"Import finished: {summary(result)}. New and changed items are drafts: "
            "review and publish them as usual.",
        )
        meta = self.model._meta
        return redirect(f"admin:{meta.app_label}_{meta.model_name}_changelist")

    def process_import(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        return super().process_import(request, **kwargs)

    def get_export_filename(self, request, queryset, file_format):
        kind = kinds.for_model(self.model)
        return f"{kind.name if kind else self.model._meta.model_name}.{file_format.get_extension()}"
