"""Glossary terms as spreadsheet rows (exosite.kernel.importing): the columns an editor
sees in the admin's import and export, and the glossary's own rules for a row.

Each language has its own glossary: a row's names (the synonym rule) and its related
terms are those of its language, as linking finds them (a Spanish page links Spanish
terms)."""

from import_export import fields, widgets

from exosite.kernel import languages
from exosite.kernel.importing import ContentResource, fold, join_list, split_list

from .kinds import name_key
from .models import Term


class LinesWidget(widgets.CharWidget):
    """Synonyms as the model keeps them, one per line; a ";" separates them too."""

    def clean(self, value, row=None, **kwargs):
        return "\n".join(split_list(value))


class TermResource(ContentResource):
    name = fields.Field("name", "Name", widget=widgets.CharWidget())
    slug = fields.Field("slug", "Slug", widget=widgets.CharWidget())
    abbreviation = fields.Field("abbreviation", "Abbreviation", widget=widgets.CharWidget())
    aliases = fields.Field("aliases", "Synonyms and other spellings", widget=LinesWidget())
    short_definition = fields.Field(
        "short_definition", "Short definition", widget=widgets.CharWidget()
    )
    definition = fields.Field(
        "definition", "Full definition (Markdown)", widget=widgets.CharWidget()
    )
    technical_definition = fields.Field(
        "technical_definition", "Technical definition (Markdown)", widget=widgets.CharWidget()
    )
    pronunciation = fields.Field("pronunciation", "Pronunciation", widget=widgets.CharWidget())
    related = fields.Field(column_name="Related terms")
    tags = fields.Field(column_name="Tags")

    title_field = "name"
    required_columns = ("name",)
    list_fields = ("related", "tags")

    class Meta(ContentResource.Meta):
        model = Term
        name = "Glossary terms"
        fields = (
            "name",
            "slug",
            "language",
            "translation_of",
            "abbreviation",
            "aliases",
            "short_definition",
            "definition",
            "technical_definition",
            "pronunciation",
            "related",
            "tags",
        )
        import_order = fields
        export_order = fields

    def get_queryset(self):
        return Term.objects.select_related("translation_of").prefetch_related("tags", "related")

    # -- export ----------------------------------------------------------------------------

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("translation_of").prefetch_related("tags", "related")

    def dehydrate_related(self, term):
        return join_list(sorted((t.name for t in term.related.all()), key=str.casefold))

    def dehydrate_tags(self, term):
        return join_list(sorted((t.name for t in term.tags.all()), key=str.casefold))

    # -- import ----------------------------------------------------------------------------

    def prepare(self, rows):
        """Per language: the names every term goes by (the synonym rule), the names in the
        file (related terms may name a row further down), and who lists whom as related (a
        relation holds both ways, so it holds when either row lists the other)."""
        from .admin import taken_message  # the admin imports this module

        self.taken_message = taken_message
        self.owners = {}  # (language, name key) -> (owner's slug, owner's name, "name" | ...)
        self.existing_names = set()  # (language, name key)
        for language, slug, name, abbreviation, aliases in Term.objects.values_list(
            "language", "slug", "name", "abbreviation", "aliases"
        ):
            self.note_names(language, slug, name, abbreviation, aliases)
            self.existing_names.add((language, name_key(name)))
        self.file_names = {
            (row.get("language"), name_key(row["name"])) for row in rows if row.get("name")
        }
        self.listed_by = {}
        for row in rows:
            language = row.get("language")
            for other in split_list(row.get("related", "")):
                self.listed_by.setdefault((language, name_key(other)), set()).add(
                    name_key(row.get("name", ""))
                )

    def note_names(self, language, slug, name, abbreviation, aliases):
        for alias in split_list(aliases):
            self.owners.setdefault((language, name_key(alias)), (slug, name, "synonym"))
        if abbreviation:
            self.owners[language, name_key(abbreviation)] = (slug, name, "abbreviation")
        self.owners[language, name_key(name)] = (slug, name, "name")

    def check_row(self, term):
        """The admin's synonym rule (glossary.admin.TermForm): a synonym is a name of this
        term only, checked against every term of its language and the rows above."""
        errors = []
        language = term.language or languages.SOURCE
        for alias in term.alias_list:
            key = name_key(alias)
            if key == name_key(term.name):
                errors.append(f"“{alias}” is this term's own name.")
                continue
            owner = self.owners.get((language, key))
            if owner and owner[0] != term.slug:
                errors.append(self.taken_message(alias, owner[1], owner[2]))
        if not errors:
            self.note_names(language, term.slug, term.name, term.abbreviation, term.aliases)
        return {"aliases": errors} if errors else {}

    def check_list(self, name, term, values):
        if name != "related":
            return ""
        own = name_key(term.name or "")
        language = term.language or languages.SOURCE
        known = self.existing_names | self.file_names
        unknown = [v for v in values if (language, name_key(v)) not in known]
        if unknown:
            where = "" if language == languages.SOURCE else f" in {self.language_name(language)}"
            return (
                f"“{unknown[0]}” is not a glossary term{where}, nor a row of this file: add "
                "it as a term, or correct the name."
            )
        if own and own in {name_key(v) for v in values}:
            return "A term cannot be related to itself."
        return ""

    @staticmethod
    def language_name(code):
        return languages.names().get(code, code)

    def wanted_list(self, name, row):
        if name == "related":
            language = row.get("Language", languages.SOURCE)
            own = {name_key(v) for v in split_list(row.get("Related terms", ""))}
            return own | self.listed_by.get((language, name_key(row.get("Name", ""))), set())
        return super().wanted_list(name, row)

    def stored_list(self, name, term):
        if name == "related":
            return {name_key(t.name) for t in term.related.all()}
        return {fold(t.name) for t in term.tags.all()}

    def phrases(self, term):
        return [term.name, term.abbreviation, *term.alias_list, *super().phrases(term)]

    def save_lists(self, term, row):
        if "Tags" in row:
            wanted = split_list(row["Tags"])
            if {fold(t) for t in wanted} != self.stored_list("tags", term):
                term.tags.set(wanted)
        if "Related terms" in row:
            wanted = self.wanted_list("related", row)
            if wanted != self.stored_list("related", term):
                if not hasattr(self, "pk_by_name"):
                    self.pk_by_name = {
                        (language, name_key(n)): pk
                        for pk, language, n in Term.objects.values_list("pk", "language", "name")
                    }
                found = (self.pk_by_name.get((term.language, key)) for key in wanted)
                term.related.set([pk for pk in found if pk is not None])
