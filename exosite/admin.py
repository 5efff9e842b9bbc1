"""The kernel's own admin: share links for reviewers, and the list of background tasks (the
editorial workflow's bases are in exosite.kernel.admin, the tag admin in
exosite.kernel.tags)."""

from django.contrib import admin
from django.core.exceptions import SuspiciousOperation
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import ngettext
from django_tasks_db import admin as tasks_db_admin
from django_tasks_db.models import DBTaskResult, get_date_max

from .kernel import kinds, preview
from .kernel.tasks import retry_policy
from .models import ShareLink


def sees_every_link(user):
    """Whether `user` may change every kind of item a link can show (Editors)."""
    return user.is_superuser or all(
        user.has_perm(f"{kind.model._meta.app_label}.change_{kind.model._meta.model_name}")
        for kind in kinds.all()
    )


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    """Preview links made for reviewers, to see and revoke. Who sees which: someone who may
    change every kind of content (Editors) sees every link, whoever made it, to clear up
    after a colleague; anyone else with the share-link rights (FAQ staff, who share FAQ
    entries) sees and revokes only the links they made themselves."""

    list_display = ("__str__", "target", "created_by", "created_at", "expires_at", "active")
    list_filter = ("revoked_at", "expires_at")
    list_select_related = ("content_type", "created_by")
    actions = ("revoke",)
    readonly_fields = ("target", "content_type", "object_id", "created_by", "created_at", "link")

    def get_queryset(self, request):
        links = super().get_queryset(request)
        if sees_every_link(request.user):
            return links
        return links.filter(created_by=request.user)

    def has_add_permission(self, request):
        return False  # made from the item's page

    @admin.display(description="Item")
    def target(self, obj):
        item = preview.shared_item(obj)
        return item if item is not None else "(deleted)"

    @admin.display(boolean=True)
    def active(self, obj):
        return obj.is_active

    @admin.display(description="Link")
    def link(self, obj):
        return preview.share_path(obj)

    @admin.action(description="Revoke (the link stops working at once)", permissions=("change",))
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(
            request,
            ngettext("%(count)d link revoked.", "%(count)d links revoked.", count)
            % {"count": count},
        )


# Background tasks -------------------------------------------------------------------------

# django-tasks-db registers a bare list (no error, no attempts); this one replaces it.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskAdmin(tasks_db_admin.DBTaskResultAdmin):
    """What the worker has to do, is doing, has done and could not do, with the error, for
    superusers and Editors (the view permission); nobody adds, changes or deletes a task
    here (the library's admin refuses all three). Only the database backend keeps tasks:
    under the immediate backend (`make run`) the list stays empty."""

    list_display = (
        "task",
        "state",
        "attempts",
        "error",
        "enqueued_at",
        "started_at",
        "finished_at",
    )
    list_filter = ("status", "queue_name")
    search_fields = ("task_path", "exception_class_path", "traceback")
    list_per_page = 50

    @admin.display(description="Task", ordering="task_path")
    def task(self, obj):
        arguments = [*map(repr, obj.args_kwargs.get("args", []))]
        arguments += [f"{k}={v!r}" for k, v in obj.args_kwargs.get("kwargs", {}).items()]
        call = f"{obj.task_name}({', '.join(arguments)})"
        return call if len(call) <= 120 else call[:119] + "…"

    @admin.display(description="State", ordering="status")
    def state(self, obj):
        waits = obj.run_after != get_date_max() and obj.run_after > timezone.now()
        match obj.status:
            case TaskResultStatus.READY if obj.traceback:
                return f"Failed, retrying after {timezone.localtime(obj.run_after):%H:%M:%S}"
            case TaskResultStatus.READY if waits:
                return f"Queued until {timezone.localtime(obj.run_after):%Y-%m-%d %H:%M}"
            case TaskResultStatus.READY:
                return "Queued"
            case TaskResultStatus.RUNNING:
                return "Running"
            case TaskResultStatus.FAILED:
                return "Failed"
            case TaskResultStatus.SUCCESSFUL:
                return "Done"
        return obj.status

    @admin.display(description="Attempts")
    def attempts(self, obj):
        made = len(obj.worker_ids)
        try:
            policy = retry_policy(obj.task)
        except (ImportError, SuspiciousOperation):  # code gone since it was queued
            policy = None
        return f"{made} of {policy.attempts}" if policy else str(made)

    @admin.display(description="Error")
    def error(self, obj):
        """The exception and its message: the traceback's last line (the whole traceback
        is on the task's own page)."""
        if not obj.traceback:
            return "—"
        lines = [line for line in obj.traceback.strip().splitlines() if line.strip()]
        message = lines[-1] if lines else obj.exception_class_path
        if len(message) > 300:
            message = message[:299] + "…"
        return format_html("<code>{}</code>", message)
