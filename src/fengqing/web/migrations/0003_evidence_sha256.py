"""Evidence keeps the SHA-256 of its file as uploaded, so the audit entry of its deletion names the file by
name and hash; existing rows get it from their (sealed) files, read through the sealed storage."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from fengqing.web.models import file_sha256

    Evidence = apps.get_model("web", "Evidence")
    for ev in Evidence.objects.filter(sha256="").iterator(chunk_size=200):
        if not ev.file or not ev.file.storage.exists(ev.file.name):
            continue  # the file is gone already: nothing to fingerprint
        with ev.file.open("rb") as f:
            ev.sha256 = file_sha256(f)
        Evidence.objects.filter(pk=ev.pk).update(sha256=ev.sha256)


class Migration(migrations.Migration):

    dependencies = [
        ("web", "0002_datastamp"),
    ]

    operations = [
        migrations.AddField(
            model_name="evidence",
            name="sha256",
            field=models.CharField(blank=True, default="", max_length=64, verbose_name="SHA-256"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
