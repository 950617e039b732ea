"""Each objective an action serves gets its own weight: the automatic many-to-many table becomes `ActionObjective`
(the action's former single weight copied to each of its objectives, a weight of 0 becoming 0.01)."""

from decimal import Decimal

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


def copy_links(apps, schema_editor):
    Action = apps.get_model("strategy", "Action")
    ActionObjective = apps.get_model("strategy", "ActionObjective")
    links = []
    for action in Action.objects.all():
        weight = action.weight if action.weight and action.weight > 0 else Decimal("0.01")
        for objective in action.objectives.all():
            links.append(ActionObjective(action=action, objective=objective, weight=weight))
    ActionObjective.objects.bulk_create(links)


def copy_back(apps, schema_editor):
    Action = apps.get_model("strategy", "Action")
    ActionObjective = apps.get_model("strategy", "ActionObjective")
    for link in ActionObjective.objects.all():
        Action.objects.get(pk=link.action_id).objectives.add(link.objective_id)


class Migration(migrations.Migration):
    dependencies = [("strategy", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="ActionObjective",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "weight",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("1"),
                        help_text="Poids de l'action dans l'avancement de cet objectif (plus que 0).",
                        max_digits=6,
                        validators=[django.core.validators.MinValueValidator(Decimal("0.01"))],
                        verbose_name="poids",
                    ),
                ),
                (
                    "action",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="objective_links",
                        to="strategy.action",
                    ),
                ),
                (
                    "objective",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="action_links",
                        to="strategy.objective",
                    ),
                ),
            ],
            options={
                "verbose_name": "objectif servi",
                "verbose_name_plural": "objectifs servis",
                "ordering": ["objective__order", "objective__code"],
                "constraints": [
                    models.UniqueConstraint(fields=("action", "objective"), name="strategy_actionobjective_unique"),
                    models.CheckConstraint(
                        condition=models.Q(("weight__gt", 0)), name="strategy_actionobjective_weight_positive"
                    ),
                ],
            },
        ),
        migrations.RunPython(copy_links, copy_back),
        migrations.RemoveField(model_name="action", name="objectives"),
        migrations.AddField(
            model_name="action",
            name="objectives",
            field=models.ManyToManyField(
                related_name="actions",
                through="strategy.ActionObjective",
                to="strategy.objective",
                verbose_name="objectifs servis",
            ),
        ),
        migrations.RemoveConstraint(model_name="action", name="strategy_action_weight_positive"),
        migrations.RemoveField(model_name="action", name="weight"),
    ]
