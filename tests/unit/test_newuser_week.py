"""Issue 15 point 6: the provider's week starts on Saturday."""

from django.utils import translation

from services_catalog.forms import AvailabilityForm


def test_the_availability_grid_starts_on_saturday_and_ends_on_friday():
    with translation.override("en"):
        labels = [str(label) for label, _fields in AvailabilityForm(current=set()).grid()]
    assert labels[0] == "Saturday" and labels[-1] == "Friday" and len(labels) == 7
