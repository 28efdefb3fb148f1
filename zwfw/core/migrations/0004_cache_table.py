"""The shared cache's table, when the settings keep the cache in the database (production:
``ZWFW_CACHE_URL=dbcache://zwfw_cache``), so that ``migrate`` alone prepares a database.

``createcachetable`` does nothing for other caches and for a table that exists; run it again after
pointing ``ZWFW_CACHE_URL`` at another table.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_staged_files")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
