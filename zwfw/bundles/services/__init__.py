"""Every write of bundles and remote intake: definitions and their review, applying for a
bundle, the hooks the case engine calls, and the hand-overs of a remote intake.

The functions live in submodules and are re-exported here, so callers write
``from zwfw.bundles import services`` and ``services.bundle_apply(...)``.
"""

from zwfw.bundles.services.applying import bundle_apply, bundle_correction_answer
from zwfw.bundles.services.definitions import (
    bundle_adjustment_approve,
    bundle_adjustment_reject,
    bundle_adjustment_submit,
    bundle_adjustment_withdraw,
    bundle_create,
    bundle_draft_editable,
    bundle_open_adjustment,
    bundle_update_draft,
    can_edit_bundle,
    can_review_bundle,
    content_parse,
)
from zwfw.bundles.services.hooks import (
    bundle_child_correction_requested,
    bundle_child_decided,
    bundle_delivery_check,
)
from zwfw.bundles.services.remote import (
    remote_intake_accept,
    remote_intake_forward,
    remote_intake_hand_over,
    remote_intake_receive,
    remote_intake_result_arrived,
    remote_intake_return,
    remote_intake_send_result,
)

__all__ = [
    "bundle_adjustment_approve",
    "bundle_adjustment_reject",
    "bundle_adjustment_submit",
    "bundle_adjustment_withdraw",
    "bundle_apply",
    "bundle_child_correction_requested",
    "bundle_child_decided",
    "bundle_delivery_check",
    "bundle_correction_answer",
    "bundle_create",
    "bundle_draft_editable",
    "bundle_open_adjustment",
    "bundle_update_draft",
    "can_edit_bundle",
    "can_review_bundle",
    "content_parse",
    "remote_intake_accept",
    "remote_intake_forward",
    "remote_intake_hand_over",
    "remote_intake_receive",
    "remote_intake_result_arrived",
    "remote_intake_return",
    "remote_intake_send_result",
]
