"""Draw a wave's back-checks for a day (a daily cron job runs it; running it twice draws
nothing new)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bas.errors import BasError
from survey.models import Wave
from survey.selectors.back_checks import share_rows
from survey.services.back_checks import draw_back_checks, wave_today


class Command(BaseCommand):
    help = ("Draw the day's back-checks of a wave: at least the wave's share of each "
            "interviewer's completes (rounded up), seeded from the wave's seed and the day. "
            "A day already drawn draws nothing new.")

    def add_arguments(self, parser):
        parser.add_argument("--wave", required=True, type=int, help="The wave's id.")
        parser.add_argument("--day", help="YYYY-MM-DD (default: today in the wave's time "
                                          "zone).")

    def handle(self, *args, **options):
        wave = Wave.objects.filter(pk=options["wave"]).first()
        if wave is None:
            raise CommandError(f"no wave {options['wave']}", returncode=2)
        now = timezone.now()
        day = _day(options["day"]) if options["day"] else wave_today(wave, now)
        try:
            drawn = draw_back_checks(wave, day=day, now=now)
        except BasError as error:
            raise CommandError(str(error), returncode=2) from error
        if drawn.new:
            self.stdout.write(f"{wave}, {day}: {len(drawn.selected)} back-checks drawn.")
        else:
            self.stdout.write(f"{wave}, {day}: already drawn; nothing new.")
        for row in share_rows(wave=wave):
            share = "-" if row.share is None else f"{row.share:.1f}%"
            self.stdout.write(f"  {row.username}: {row.selected} of {row.considered} "
                              f"completes ({share})")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--day: '{text}' is not a date such as 2027-05-03",
                           returncode=2) from error
