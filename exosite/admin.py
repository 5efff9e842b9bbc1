"""The kernel's own admin: share links for reviewers (the editorial workflow's bases are in
exosite.kernel.admin, the tag admin in exosite.kernel.tags)."""

from django.contrib import admin
from django.utils import timezone

from .kernel import preview
from .models import ShareLink


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    list_display = ("__str__", "target", "created_by", "created_at", "expires_at", "active")
    list_filter = ("revoked_at", "expires_at")
    actions = ("revoke",)
    readonly_fields = ("target", "content_type", "object_id", "created_by", "created_at", "link")

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

    @admin.action(description="Revoke (the link stops working at once)")
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"{count} link(s) revoked.")
