from django.core.management.base import BaseCommand

from support.services.quality import sample_quality_calls


class Command(BaseCommand):
    help = "Put this week's random sample of completed jobs on the quality-call list (S16); once a week."

    def handle(self, *args, **options):
        self.stdout.write(f"quality calls added: {sample_quality_calls()}")
