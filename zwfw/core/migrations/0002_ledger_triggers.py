"""Make the audit ledger append-only in the database itself."""

from django.db import migrations


def install(apps, schema_editor):
    from zwfw.core import ledger_triggers

    ledger_triggers.install(schema_editor.connection)


def remove(apps, schema_editor):
    from zwfw.core import ledger_triggers

    ledger_triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
