from django.core.management.base import BaseCommand, CommandError

from bas.errors import BasError
from survey.models import Wave
from survey.services.purge import contacts_purge


class Command(BaseCommand):
    help = ("Blank the contact details (name, address, postcode, phone) of a closed wave's "
            "businesses; answers, weights and estimates are kept.")

    def add_arguments(self, parser):
        parser.add_argument("wave", help="Wave id or name.")

    def handle(self, *args, **options):
        key = options["wave"]
        wave = (Wave.objects.filter(pk=int(key)).first() if key.isdigit() else None) \
            or Wave.objects.filter(name=key).first()
        if wave is None:
            raise CommandError(f"no wave '{key}'", returncode=2)
        try:
            report = contacts_purge(wave=wave)
        except BasError as error:
            raise CommandError(str(error), returncode=2) from error
        self.stdout.write(f"{wave}: contact details purged for {report.purged} businesses"
                          + (f"; {report.kept_for_open_waves} kept for waves still in the field"
                             if report.kept_for_open_waves else ""))
