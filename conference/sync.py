"""Idempotent writes for data loaded by commands: a second run changes nothing."""

from collections import Counter


class SyncReport(Counter):
    """Counts of created, updated and unchanged rows."""

    def __str__(self):
        return ", ".join(f"{self[key]} {key}" for key in ("created", "updated", "unchanged"))


def sync(report, model, lookup, values):
    """Create the row matching `lookup`, or update it only where `values` differ."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        report["created"] += 1
        return model.objects.create(**lookup, **values)
    changed = [field for field, value in values.items() if getattr(instance, field) != value]
    if not changed:
        report["unchanged"] += 1
        return instance
    for field in changed:
        setattr(instance, field, values[field])
    instance.save()
    report["updated"] += 1
    return instance
