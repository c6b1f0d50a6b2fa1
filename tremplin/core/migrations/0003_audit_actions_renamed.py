"""Audit actions renamed to the one form <entity>.<past participle> (core.audit_actions).

The mapping is written out here, as it was when the rows were rewritten, so that this
migration reads the same whatever the list becomes later."""

from django.db import migrations

OLD_TO_NEW = {
    "applications.imported": "call.applications_imported",
    "cohort.replacement": "cohort.replacement_selected",
    "placement.attempt_finished": "attempt.finished",
    "placement.attempt_started": "attempt.started",
    "placement.calibration_applied": "calibration.applied",
    "placement.calibration_started": "calibration.started",
    "placement.framework_changed": "framework.updated",
    "placement.framework_created": "framework.created",
    "placement.framework_imported": "framework.imported",
    "placement.item_calibrated": "item.calibrated",
    "placement.item_changed": "item.updated",
    "placement.item_created": "item.created",
    "placement.item_status_changed": "item.status_changed",
    "placement.items_exported": "item_bank.exported",
    "placement.items_imported": "item_bank.imported",
    "placement.result_reviewed": "attempt.result_reviewed",
    "placement.setup_changed": "placement_setup.updated",
    "placement.target_removed": "programme.target_removed",
    "placement.target_set": "programme.target_set",
}


def _rename(apps, mapping):
    AuditEvent = apps.get_model("core", "AuditEvent")
    for old, new in mapping.items():
        AuditEvent.objects.filter(action=old).update(action=new)


def forwards(apps, schema_editor):
    _rename(apps, OLD_TO_NEW)


def backwards(apps, schema_editor):
    _rename(apps, {new: old for old, new in OLD_TO_NEW.items()})


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_action_choices")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
