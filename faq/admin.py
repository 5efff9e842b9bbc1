from django.contrib import admin

from exosite.admin import PublishableAdmin

from .models import Question, Submission, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "position", "slug")
    list_editable = ("position",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Question)
class QuestionAdmin(PublishableAdmin):
    list_display = ("question", "topic", "position", "status", "is_live", "tag_list")
    list_filter = ("status", "topic", "tags")
    search_fields = ("question", "answer")
    prepopulated_fields = {"slug": ("question",)}
    autocomplete_fields = ("topic",)
    fieldsets = (
        (None, {"fields": ("question", "slug", "topic", "position", "answer")}),
        PublishableAdmin.publishing_fieldset,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("topic")


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("short_question", "status", "received_at", "assignee")
    list_filter = ("status", "received_at")
    search_fields = ("question", "name", "email")
    readonly_fields = ("question", "name", "email", "consent", "received_at")
    autocomplete_fields = ("faq_question",)
    date_hierarchy = "received_at"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("assignee")

    @admin.display(description="Question")
    def short_question(self, obj):
        # Visitor text: shown escaped, as plain text, never as HTML.
        return obj.question if len(obj.question) <= 80 else f"{obj.question[:79]}…"
