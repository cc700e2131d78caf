from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from navigator.core.models import User
from navigator.screening.calibration import no_longer_flagging
from navigator.screening.management.commands.records import rescreen_with_progress_bar
from navigator.screening.models import Calibration
from navigator.screening.screener import current_screener
from navigator.screening.services import MIN_DECISIONS, TooFewDecisions, accept_calibration, fit_calibration


class Command(BaseCommand):
    help = ("Screening administration. `navigator screening calibrate` fits indicator weights from triage "
            "decisions and proposes them; nothing changes until a lead runs `calibrate --accept ID --user LEAD`, "
            "which then screens the stored records again with the accepted weights.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, title="subcommands")
        calibrate = sub.add_parser("calibrate", help="Fit weights from decisions (logistic regression) and report")
        calibrate.add_argument("--accept", type=int, metavar="ID", help="Accept proposed calibration ID")
        calibrate.add_argument("--user", help="The lead accepting the calibration (with --accept)")
        calibrate.add_argument("--min-decisions", type=int, default=MIN_DECISIONS,
                               help=f"Refuse to fit from fewer decided records (default {MIN_DECISIONS})")

    def handle(self, *args, subcommand, accept, user, min_decisions, **options):
        if accept is not None:
            return self._accept(accept, user)
        screener = current_screener()
        try:
            calibration, fit, fitted = fit_calibration(min_decisions=min_decisions)
        except TooFewDecisions as too_few:
            raise CommandError(str(too_few)) from None
        self.stdout.write(f"Fitted from {fit.examples} decided records ({fit.positives} potential modern slavery, "
                          f"{fit.examples - fit.positives} not), each screened again with the weights in question. "
                          "Only records someone reviewed have a decision, so recall here is among reviewed records.")
        for name, metrics in (("current", fit.current), ("suggested", fit.suggested)):
            self.stdout.write(f"  {name:9} threshold {metrics['threshold']:.3f}: precision {metrics['precision']:.3f}, "
                              f"recall {metrics['recall']:.3f}, {metrics['flagged']} flagged")
        held_out = fit.cross_validated
        self.stdout.write(f"  suggested on records it was not fitted to ({held_out['folds']}-fold cross-validation): "
                          f"precision {held_out['precision']:.3f}, recall {held_out['recall']:.3f}")
        changed = sorted(((abs(fit.weights[i.id] - i.weight), i.id, i.weight, fit.weights[i.id])
                          for i in fitted), reverse=True)[:10]
        self.stdout.write("  largest weight changes:")
        for _, indicator_id, before, after in changed:
            self.stdout.write(f"    {indicator_id:32} {before:.2f} -> {after:.2f}")
        demoted = no_longer_flagging(fitted, screener.threshold, fit.weights, fit.threshold)
        if demoted:
            self.stdout.write(f"  signs that flag a record on their own now and would not at threshold "
                              f"{fit.threshold:.3f}:")
            for indicator_id, before, after in demoted:
                self.stdout.write(f"    {indicator_id:32} {before:.2f} -> {after:.2f}")
        self.stdout.write(f"Proposed as calibration {calibration.pk}. Nothing changes until a lead runs:\n"
                          f"  navigator screening calibrate --accept {calibration.pk} --user LEAD_USERNAME")

    def _accept(self, calibration_id, username):
        # A missing or wrong --user or --accept is a bad argument (exit 2); a proposal that cannot be accepted now
        # (accepted already, fitted to another library) is not.
        if not username:
            raise CommandError("--accept needs --user, the lead who accepts it", returncode=2)
        lead = User.objects.filter(username=username, is_active=True).first()
        calibration = Calibration.objects.filter(pk=calibration_id).first()
        if lead is None:
            raise CommandError(f"no active user called {username!r}", returncode=2)
        if calibration is None:
            raise CommandError(f"no calibration {calibration_id}: `navigator screening calibrate` proposes one",
                               returncode=2)
        try:
            accept_calibration(actor=lead, calibration=calibration, via="command line")
        except PermissionDenied as not_a_lead:
            raise CommandError(f"{not_a_lead}; {username} is not one", returncode=2) from None
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Calibration {calibration_id} accepted by {username}; new imports use its weights "
                          f"and threshold {calibration.threshold:.3f}.")
        # Every record: the weights changed, whatever the version says.
        self.stdout.write(rescreen_with_progress_bar(everything=True).summary())
