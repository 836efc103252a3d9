import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    """Documents start waiting for their rendering, which runs after the issuing step commits."""

    dependencies = [
        ("referral", "0007_audit_append_only_triggers"),
    ]

    operations = [
        migrations.AlterField(
            model_name="document",
            name="render_state",
            field=models.CharField(
                choices=[
                    ("pending", "Waiting to render"),
                    ("rendering", "Rendering"),
                    ("done", "Ready"),
                    ("failed", "Rendering failed"),
                ],
                default="pending",
                max_length=16,
                verbose_name="rendering",
            ),
        ),
        migrations.AlterField(
            model_name="document",
            name="render_progress",
            field=models.PositiveSmallIntegerField(
                default=0,
                validators=[
                    django.core.validators.MinValueValidator(0),
                    django.core.validators.MaxValueValidator(100),
                ],
                verbose_name="rendering progress",
            ),
        ),
    ]
