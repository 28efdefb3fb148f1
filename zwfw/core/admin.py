"""Admin pages of the shared kernel (thin: writes that matter go through services)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from zwfw.core import calendar_admin  # noqa: F401  (registers the Holiday admin)
from zwfw.core.models import Agency, AuditEvent, Region, Venue, Window


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    readonly_fields = ["prefix"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "kind", "uscc"]
    list_filter = ["kind"]
    search_fields = ["name", "uscc"]
    autocomplete_fields = ["region"]


class WindowInline(admin.TabularInline):
    model = Window
    extra = 0


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [WindowInline]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only view of the ledger."""

    list_display = ["id", "occurred_at", "actor_label", "object_type", "object_id", "action"]
    list_filter = ["object_type", "action"]
    search_fields = ["object_id", "actor_label"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
