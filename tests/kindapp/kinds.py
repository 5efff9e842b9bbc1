from exosite.kernel.kinds import ContentKind
from exosite.kernel.text import plain_text

from .models import Note


class NoteKind(ContentKind):
    name = "note"
    model = Note
    html_field = "body_html"
    detail_view = "tests.kindapp.views.NoteDetailView"
    list_template = "kindapp/tag_items.html"
    sitemap_priority = 0.5

    def search_document(self, note):
        return {"title": note.title, "body": plain_text(note.body_html)}
