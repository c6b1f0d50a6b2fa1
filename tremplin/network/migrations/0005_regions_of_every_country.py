"""Every country's regions (ISO 3166-2, network/regions.py): a site opened in a country the
demo does not load still has its list."""

from typing import Any

from django.db import migrations


def regions_load(apps: Any, schema_editor: Any) -> None:
    from tremplin.network.regions import every_country, subdivisions_of

    Region = apps.get_model("network", "Region")
    rows = [
        Region(country=country, code=code, name=name)
        for country in every_country()
        for code, name in subdivisions_of(country)
    ]
    Region.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("network", "0004_merge_20261203_0650")]

    operations = [migrations.RunPython(regions_load, migrations.RunPython.noop)]
