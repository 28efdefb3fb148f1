"""Admin for the Holiday table: the day list and an upload page for a notice CSV file.

The upload page uses the same checker and loader as ``manage.py calendar_load``
(``holiday_csv_load``): every bad line is listed and nothing is loaded if any line is bad.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template import engines
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zwfw.core.calendar import holiday_csv_load, is_workday
from zwfw.core.errors import ValidationFailed
from zwfw.core.models import Holiday

# A notice file has a few dozen lines; anything this big is the wrong file.
MAX_UPLOAD_BYTES = 1_000_000

_CHANGELIST = """{% extends "admin/change_list.html" %}{% load i18n %}
{% block object-tools-items %}{% if upload_url %}
<li><a href="{{ upload_url }}" class="addlink">{{ upload_label }}</a></li>{% endif %}
{{ block.super }}{% endblock %}"""

_UPLOAD = """{% extends "admin/base_site.html" %}{% load i18n %}
{% block breadcrumbs %}<div class="breadcrumbs">
<a href="{% url 'admin:index' %}">{% translate 'Home' %}</a> &rsaquo;
<a href="{{ changelist_url }}">{{ opts.verbose_name_plural|capfirst }}</a> &rsaquo; {{ title }}
</div>{% endblock %}
{% block content %}
<p>{{ help }}</p>
<pre>date,kind,name,source
2025-01-26,workday,春节调休上班,国务院办公厅关于2025年部分节假日安排的通知
2025-01-28,holiday,春节,国务院办公厅关于2025年部分节假日安排的通知</pre>
{% if problems %}<div class="errornote">{{ problems_title }}</div>
<ul class="errorlist">{% for problem in problems %}<li>{{ problem }}</li>{% endfor %}</ul>
{% endif %}
<form method="post" enctype="multipart/form-data">{% csrf_token %}
{{ form.as_p }}
<div class="submit-row"><input type="submit" class="default" value="{{ submit_label }}"></div>
</form>
{% endblock %}"""


class HolidayCsvForm(forms.Form):
    """The upload form: one notice file and whether it replaces its years."""

    file = forms.FileField(label=gettext_lazy("CSV file"))
    replace_year = forms.BooleanField(
        required=False,
        label=gettext_lazy("Replace the years in the file"),
        help_text=gettext_lazy("Also delete the days of those years that the file does not list."),
    )


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """The days of the loaded notices, with a CSV upload page."""

    list_display = ["date", "weekday", "kind", "name", "source", "counts_as_workday"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name", "source"]
    readonly_fields = ["created_at"]

    @admin.display(description=gettext_lazy("weekday"))
    def weekday(self, obj: Holiday) -> str:
        """The day of the week, for checking 调休 weekends at a glance."""
        return str(WEEKDAYS_ABBR[obj.date.weekday()])

    @admin.display(boolean=True, description=gettext_lazy("working day"))
    def counts_as_workday(self, obj: Holiday) -> bool:
        """What the calendar engine says about this day now."""
        return is_workday(obj.date)

    def get_urls(self) -> list[URLPattern]:
        """The model's pages plus the upload page."""
        upload = path(
            "upload/",
            self.admin_site.admin_view(self.upload_view),
            name="core_holiday_upload",
        )
        return [upload, *super().get_urls()]

    def _may_upload(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, object] | None = None
    ) -> HttpResponse:
        """The day list, with an "Upload CSV" button next to "Add"."""
        context = dict(extra_context or {})
        if self._may_upload(request):
            context["upload_url"] = reverse("admin:core_holiday_upload")
            context["upload_label"] = _("Upload CSV")
        response = super().changelist_view(request, context)
        if isinstance(response, TemplateResponse) and not response.is_rendered:
            response.template_name = engines["django"].from_string(_CHANGELIST)
        return response

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        """Check and load a notice file; show every bad line, or a summary of what changed."""
        if not self._may_upload(request):
            raise PermissionDenied
        problems: list[str] = []
        form = HolidayCsvForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            replace = bool(form.cleaned_data["replace_year"])
            if replace and not self.has_delete_permission(request):
                raise PermissionDenied
            if upload.size > MAX_UPLOAD_BYTES:
                form.add_error(
                    "file", _("The file is larger than %(max)d bytes.") % {"max": MAX_UPLOAD_BYTES}
                )
            else:
                try:
                    result = holiday_csv_load(
                        data=upload.read(),
                        default_source=upload.name or "",
                        replace_years=replace,
                        actor=request.user,
                    )
                except ValidationFailed as exc:
                    details = exc.details if isinstance(exc.details, list) else []
                    problems = [_("Line %(line)s: %(message)s") % p for p in details]
                else:
                    self.message_user(request, result.summary(), messages.SUCCESS)
                    return HttpResponseRedirect(reverse("admin:core_holiday_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Load holidays from a CSV file"),
            "changelist_url": reverse("admin:core_holiday_changelist"),
            "help": _(
                "One line per day of the State Council's notice: the date (YYYY-MM-DD), the kind "
                "(holiday = a day off, workday = a make-up working day), the name and, optionally, "
                "the source notice. Every line is checked first; if any line is bad, nothing is loaded."
            ),
            "form": form,
            "problems": problems,
            "problems_title": _("Nothing was loaded. Correct these lines and upload the file again:"),
            "submit_label": _("Check and load"),
        }
        template = engines["django"].from_string(_UPLOAD)
        return HttpResponse(template.render(context, request))
