from django.core.management.base import BaseCommand

from support.services.mail_in import fetch


class Command(BaseCommand):
    help = "Fetch unseen mail from the support mailbox (settings.SUPPORT_IMAP) and file it as tickets (T1)."

    def handle(self, *args, **options):
        counts = fetch()
        self.stdout.write(f"support mail: {counts or 'nothing fetched'}")
