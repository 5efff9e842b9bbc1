from django.contrib import admin

from exosite.kernel.admin import PublishableAdmin

from .models import Note


@admin.register(Note)
class NoteAdmin(PublishableAdmin):
    list_display = ("title", "status", "is_live")
    prepopulated_fields = {"slug": ("title",)}
    fieldsets = (
        (None, {"fields": ("title", "slug", "body")}),
        PublishableAdmin.publishing_fieldset,
    )
