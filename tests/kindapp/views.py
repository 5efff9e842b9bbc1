from django.views.generic import DetailView

from exosite.kernel import linking

from .models import Note


class NoteDetailView(DetailView):
    template_name = "kindapp/note_detail.html"
    context_object_name = "note"

    def get_queryset(self):
        return Note.objects.published()

    def get_context_data(self, **kwargs):
        return super().get_context_data(body=linking.rendered(self.object), **kwargs)
