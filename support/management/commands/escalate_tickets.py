from django.core.management.base import BaseCommand

from support.services import escalate_overdue


class Command(BaseCommand):
    help = "Warn, mark breaches and escalate support tickets past their time targets (T3)."

    def handle(self, *args, **options):
        counts = escalate_overdue()
        self.stdout.write(f"tickets checked: {counts or 'nothing to do'}")
