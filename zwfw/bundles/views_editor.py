"""The bundle editor of catalog administrators: structured pages instead of raw JSON.

- ``/bundles/editor/<id>/``: the overview. The basics (name, guide text, who applies, promised
  limit, result delivery), the situation questions, the member items (add one by implementation
  code), the merged form as the applicant will get it (shared fields with the item fields mapped
  to them, merged uploads), every failing publication check next to what it concerns, and the
  review (submit with a reason; another administrator approves or returns).
- ``/bundles/editor/<id>/items/<key>/``: one member item: its implementation, when it applies,
  what it waits for and which material the result provides, its fields mapped to shared fields,
  its materials mapped to merged uploads.
- ``/bundles/editor/<id>/json/``: the definition as JSON, for advanced edits.

Every save goes through ``services.bundle_update_draft`` (no save while under review). Forms work
without JavaScript; ``workbench.js`` (no inline scripts) only adds rows without a round trip.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zwfw.bundles import editor, forms, selectors, services
from zwfw.bundles.checks import BundleFailure, bundle_failures, resolve_implementations
from zwfw.bundles.content import BundleContent
from zwfw.bundles.models import Bundle
from zwfw.bundles.views import pages
from zwfw.catalog.models import Implementation, ImplementationStatus
from zwfw.core.errors import DomainError, ValidationFailed

ROW_PREFIXES = ("questions", "conditions", "dependencies", "fields")


def _content(bundle: Bundle) -> BundleContent:
    return services.content_parse(bundle.draft)


def _with_row(data: QueryDict, prefix: str) -> QueryDict:
    """The posted data with one more (empty) row in formset ``prefix`` (no-JS "add a row")."""
    copy = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        copy[key] = str(int(copy.get(key, "0")) + 1)
    except ValueError:
        copy[key] = "1"
    return copy


def _schema_problems(exc: DomainError) -> list[str]:
    """The problems of a refused save, for the error summary: each element's path and what is
    wrong with it, in the user's language."""
    out = []
    for detail in exc.details if isinstance(exc.details, list) else []:
        if isinstance(detail, dict) and detail.get("field"):
            out.append(f"{detail['field']}：{detail.get('message', '')}")
    return [str(exc.message), *out]


def _checks(bundle: Bundle, failures: list[BundleFailure]) -> list[dict[str, Any]]:
    """The failing checks, each with a link to where it is corrected."""
    out = []
    for failure in failures:
        item, anchor = editor.failure_anchor(failure)
        base = reverse("bundle_editor_item", args=[bundle.pk, item]) if item else ""
        out.append(
            {
                "code": failure.code,
                "message": failure.message,
                "field": failure.field,
                "href": f"{base}#{anchor}",
            }
        )
    return out


def _implementation_options(bundle: Bundle) -> list[Implementation]:
    return list(editor.implementation_choices(bundle.region))


# --- overview --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@pages
def editor_detail(request: HttpRequest, bundle_id: int) -> HttpResponse:
    """The overview of a bundle draft: basics, questions, items, merged form, checks, review."""
    bundle = selectors.bundle_editor_get(actor=request.user, bundle_id=bundle_id)
    content = _content(bundle)
    draft = content.model_dump(mode="json")
    basics = forms.BasicsForm(
        prefix="basics",
        initial={
            k: draft[k]
            for k in (
                "name",
                "summary",
                "notice",
                "subject",
                "promised_limit",
                "promised_limit_unit",
                "result_delivery",
            )
        },
    )
    questions = forms.QuestionFormSet(
        prefix="questions", initial=[{k: q[k] for k in ("key", "text", "help")} for q in draft["questions"]]
    )
    add_item = forms.AddItemForm(prefix="add")
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        saved: dict[str, Any] | None = None
        try:
            if action == "basics":
                basics = forms.BasicsForm(request.POST, prefix="basics")
                if basics.is_valid():
                    saved = {**draft, **basics.cleaned_data}
            elif action == "questions" or request.POST.get("add_row") == "questions":
                adding = request.POST.get("add_row") == "questions"
                data = _with_row(request.POST, "questions") if adding else request.POST
                questions = forms.QuestionFormSet(data, prefix="questions")
                if not adding and questions.is_valid():
                    saved = {
                        **draft,
                        "questions": [
                            {"key": r["key"], "text": r["text"], "help": r.get("help", "")}
                            for r in editor.form_rows(questions)
                        ],
                    }
            elif action == "add_item":
                add_item = forms.AddItemForm(request.POST, prefix="add")
                if add_item.is_valid():
                    key = add_item.cleaned_data["key"]
                    if any(i["key"] == key for i in draft["items"]):
                        add_item.add_error("key", _("This bundle already has an item with this key."))
                    else:
                        item = {"key": key, "implementation": add_item.cleaned_data["implementation"].strip()}
                        services.bundle_update_draft(
                            actor=request.user,
                            bundle=bundle,
                            draft={**draft, "items": [*draft["items"], item]},
                        )
                        messages.success(request, _("The item was added. Map its fields and materials now."))
                        return redirect("bundle_editor_item", bundle_id=bundle.pk, key=key)
            elif action == "submit":
                failures = bundle_failures(content)
                if failures:
                    raise ValidationFailed(
                        "bundles.checks_failed",
                        _(
                            "The draft cannot be submitted while publication checks fail: correct what is marked below."
                        ),
                        [f.as_dict() for f in failures],
                    )
                services.bundle_adjustment_submit(
                    actor=request.user, bundle=bundle, reason=request.POST.get("reason", "")
                )
                messages.success(
                    request, _("Submitted for review. Another catalog administrator approves it.")
                )
                return redirect("bundle_editor_detail", bundle_id=bundle.pk)
            elif action in ("approve", "reject", "withdraw"):
                adjustment = services.bundle_open_adjustment(bundle)
                if adjustment is None:
                    raise ValidationFailed("bundles.adjustment_state", _("Nothing is under review."), [])
                comment = request.POST.get("comment", "")
                if action == "approve":
                    services.bundle_adjustment_approve(
                        actor=request.user, adjustment=adjustment, comment=comment
                    )
                    messages.success(request, _("Approved and published."))
                elif action == "reject":
                    services.bundle_adjustment_reject(
                        actor=request.user, adjustment=adjustment, comment=comment
                    )
                    messages.success(request, _("Returned to the author."))
                else:
                    services.bundle_adjustment_withdraw(actor=request.user, adjustment=adjustment)
                    messages.success(request, _("Withdrawn: the draft can be edited again."))
                return redirect("bundle_editor_detail", bundle_id=bundle.pk)
            elif not request.POST.get("add_row"):
                raise ValidationFailed("bundles.unknown_action", _("Choose what to do."), [])
            if saved is not None:
                services.bundle_update_draft(actor=request.user, bundle=bundle, draft=saved)
                messages.success(request, _("Saved."))
                anchor = "questions" if action == "questions" else "basics"
                return redirect(f"{reverse('bundle_editor_detail', args=[bundle.pk])}#{anchor}")
            if request.POST.get("add_row"):
                status = 200
            else:
                problems.append(_("Some entries are missing or invalid: see the messages next to them."))
                status = 422
        except ValidationFailed as exc:
            problems = [str(exc.message)] if exc.code == "bundles.checks_failed" else _schema_problems(exc)
            status = exc.status
        except DomainError as exc:
            problems = [str(exc.message)]
            status = exc.status
    bundle.refresh_from_db()
    content = _content(bundle)
    failures = bundle_failures(content)
    placement = editor.place_failures(failures)
    impls = resolve_implementations(content)
    merged, passed = editor.material_rows(content, impls)
    names = {key: impl.item.name for key, impl in impls.items()}
    open_adjustment = services.bundle_open_adjustment(bundle)
    items = [
        {
            "item": item,
            "impl": impls.get(item.key),
            "failures": placement.at(f"item:{item.key}"),
            "after": [names.get(d.item, d.item) for d in item.depends_on],
        }
        for item in content.items
    ]
    return render(
        request,
        "bundles/editor_detail.html",
        {
            "bundle": bundle,
            "content": content,
            "basics": basics,
            "questions": questions,
            "add_item": add_item,
            "items": items,
            "names": names,
            "type_labels": dict(forms.FIELD_TYPES),
            "concepts": [
                {"row": row, "failures": placement.at(f"concept:{row.concept}")}
                for row in editor.concept_rows(content)
            ],
            "merged": merged,
            "passed": passed,
            "checks": _checks(bundle, failures),
            "placement": placement,
            "limit_failures": placement.at("promised_limit"),
            "question_failures": placement.at("questions"),
            "item_failures": placement.at("items") + placement.at("general"),
            "problems": problems,
            "open_adjustment": open_adjustment,
            "editable": services.bundle_draft_editable(request.user, bundle, open_adjustment),
            "can_review": services.can_review_bundle(request.user, bundle.region),
            "adjustments": bundle.adjustments.select_related("submitted_by", "reviewed_by")[:10],
            "implementations": _implementation_options(bundle),
        },
        status=status,
    )


# --- one member item -------------------------------------------------------------------------


def _item_forms(
    bundle: Bundle, content: BundleContent, key: str, impl: Implementation | None, data: Any = None
) -> dict[str, Any]:
    """The forms of the item page, bound to ``data`` when given."""
    draft = content.model_dump(mode="json")
    item = next(i for i in draft["items"] if i["key"] == key)
    materials = editor.item_materials(impl)
    initial = editor.item_initial(item, materials)
    questions = [(q.key, q.text) for q in content.questions]
    names = {k: impl.item.name for k, impl in resolve_implementations(content).items()}
    others = [(i.key, f"{names.get(i.key, i.key)}（{i.key}）") for i in content.items if i.key != key]
    material_choices = [(k, f"{name}（{k}）") for k, name in materials]
    bound = {"data": data} if data is not None else {}
    return {
        "item_form": forms.ItemForm(prefix="item", initial=initial["item"], **bound),
        "conditions": forms.condition_formset(
            prefix="conditions", initial=initial["conditions"], form_kwargs={"questions": questions}, **bound
        ),
        "dependencies": forms.dependency_formset(
            prefix="dependencies",
            initial=initial["dependencies"],
            form_kwargs={"items": others, "materials": material_choices},
            **bound,
        ),
        "fields": forms.field_formset(prefix="fields", initial=initial["fields"], **bound),
        "materials": forms.material_formset(prefix="materials", initial=initial["materials"], **bound),
        "material_names": dict(materials),
    }


@login_required
@require_http_methods(["GET", "POST"])
@pages
def editor_item(request: HttpRequest, bundle_id: int, key: str) -> HttpResponse:
    """One member item: implementation, conditions, order, field mapping, material mapping."""
    bundle = selectors.bundle_editor_get(actor=request.user, bundle_id=bundle_id)
    content = _content(bundle)
    if not any(i.key == key for i in content.items):
        raise Http404(_("This bundle has no such item."))
    impl = resolve_implementations(content).get(key)
    if impl is None:  # not published (the check says so): still show what it was
        code = next(i.implementation for i in content.items if i.key == key)
        impl = (
            Implementation.objects.filter(code=code)
            .exclude(status=ImplementationStatus.CANCELLED)
            .select_related("current_version", "agency", "item")
            .first()
        )
    built = _item_forms(bundle, content, key, impl)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        adding = request.POST.get("add_row", "")
        try:
            if action == "remove":
                services.bundle_update_draft(
                    actor=request.user,
                    bundle=bundle,
                    draft=editor.item_remove(content.model_dump(mode="json"), key),
                )
                messages.success(request, _("The item was removed from the bundle."))
                return redirect("bundle_editor_detail", bundle_id=bundle.pk)
            if adding in ROW_PREFIXES:
                built = _item_forms(bundle, content, key, impl, data=_with_row(request.POST, adding))
            elif action == "save":
                built = _item_forms(bundle, content, key, impl, data=request.POST)
                parts = [built[n] for n in ("item_form", "conditions", "dependencies", "fields", "materials")]
                if all(p.is_valid() for p in parts):
                    draft = editor.item_apply(
                        content.model_dump(mode="json"),
                        key,
                        item_form=built["item_form"],
                        conditions=built["conditions"],
                        dependencies=built["dependencies"],
                        fields=built["fields"],
                        materials=built["materials"],
                    )
                    services.bundle_update_draft(actor=request.user, bundle=bundle, draft=draft)
                    messages.success(request, _("Saved."))
                    return redirect("bundle_editor_item", bundle_id=bundle.pk, key=key)
                problems.append(_("Some entries are missing or invalid: see the messages next to them."))
                status = 422
            else:
                raise ValidationFailed("bundles.unknown_action", _("Choose what to do."), [])
        except DomainError as exc:
            problems = _schema_problems(exc) if isinstance(exc, ValidationFailed) else [str(exc.message)]
            status = exc.status
    bundle.refresh_from_db()
    saved = _content(bundle)
    failures = bundle_failures(saved)
    placement = editor.place_failures(failures)
    item = next((i for i in saved.items if i.key == key), None)
    field_rows = []
    for form in built["fields"].forms:
        name = form.initial.get("name") or ""
        field_rows.append({"form": form, "failures": placement.at(f"field:{key}:{name}") if name else []})
    material_rows = [
        {
            "form": form,
            "name": built["material_names"].get(form.initial.get("key", ""), form.initial.get("key", "")),
        }
        for form in built["materials"].forms
    ]
    provided = {d.result_as: d.item for d in item.depends_on if d.result_as} if item else {}
    concepts = editor.concept_rows(saved)
    merged, _passed = editor.material_rows(saved, resolve_implementations(saved))
    open_adjustment = services.bundle_open_adjustment(bundle)
    return render(
        request,
        "bundles/editor_item.html",
        {
            "bundle": bundle,
            "content": saved,
            "key": key,
            "item": item,
            "impl": impl,
            **built,
            "field_rows": field_rows,
            "material_rows": material_rows,
            "provided": provided,
            "part_failures": {part: placement.at(f"item:{key}:{part}") for part in editor.ITEM_PARTS},
            "checks": _checks(bundle, failures),
            "item_checks": placement.at(f"item:{key}"),
            "problems": problems,
            "concepts": concepts,
            "type_labels": dict(forms.FIELD_TYPES),
            "merged_keys": [m.key for m in merged],
            "open_adjustment": open_adjustment,
            "editable": services.bundle_draft_editable(request.user, bundle, open_adjustment),
            "implementations": _implementation_options(bundle),
        },
        status=status,
    )


# --- the definition as JSON (advanced) --------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@pages
def editor_json(request: HttpRequest, bundle_id: int) -> HttpResponse:
    """The whole definition as JSON, for edits the structured pages do not offer."""
    bundle = selectors.bundle_editor_get(actor=request.user, bundle_id=bundle_id)
    draft_text = json.dumps(bundle.draft, ensure_ascii=False, indent=2)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        draft_text = request.POST.get("draft", "")
        try:
            try:
                draft = json.loads(draft_text)
            except json.JSONDecodeError as exc:
                raise ValidationFailed(
                    "bundles.invalid_json", _("The definition is not valid JSON: %(e)s") % {"e": exc.msg}, []
                ) from None
            if not isinstance(draft, dict):
                raise ValidationFailed("bundles.invalid_json", _("The definition must be a JSON object."), [])
            services.bundle_update_draft(actor=request.user, bundle=bundle, draft=draft)
        except ValidationFailed as exc:
            problems = _schema_problems(exc)
            status = exc.status
        except DomainError as exc:
            problems = [str(exc.message)]
            status = exc.status
        else:
            messages.success(request, _("Saved."))
            return redirect("bundle_editor_detail", bundle_id=bundle.pk)
    open_adjustment = services.bundle_open_adjustment(bundle)
    return render(
        request,
        "bundles/editor_json.html",
        {
            "bundle": bundle,
            "draft_text": draft_text,
            "problems": problems,
            "editable": services.bundle_draft_editable(request.user, bundle, open_adjustment),
        },
        status=status,
    )
