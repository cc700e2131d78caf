from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from . import audit, otp, tasks
from .forms import SecondFactorForm
from .models import AuditAction, Role, TaskProgress
from .scoping import get_visible_or_404


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = False

    def form_valid(self, form):
        super().form_valid(form)
        next_url = self.get_redirect_url()
        if next_url:
            self.request.session["after_second_factor"] = next_url
        return redirect("login-verify")


def _safe_next(request) -> str:
    target = request.session.pop("after_second_factor", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("home")


@login_required
def verify_view(request):
    """Second step of sign-in: a TOTP or recovery code; first-time users enrol an authenticator."""
    user = request.user
    if user.is_verified():
        return redirect("home")
    device = otp.confirmed_totp(user)
    enrolling = device is None
    pending = otp.pending_totp(user) if enrolling else None
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        if enrolling:
            matched = pending if pending.verify_token("".join(token.split())) else None
        else:
            matched = otp.match_token(user, token)
        if matched is not None:
            if enrolling:
                matched.confirmed = True
                matched.save(update_fields=["confirmed"])
            otp_login(request, matched)
            audit.record(actor=user, action=AuditAction.LOGIN, changes={"step": "second_factor"})
            if enrolling:
                request.session["fresh_recovery_codes"] = otp.issue_recovery_codes(user)
                return redirect("recovery-codes")
            return redirect(_safe_next(request))
        user_login_failed.send(sender=__name__, credentials={"username": user.get_username(), "step": "second_factor"},
                                request=request)
        wait = otp.seconds_until_next_try(user)
        if wait:
            seconds = f"{wait} second{'' if wait == 1 else 's'}"
            form.add_error("token", f"The security code is not right. Wait {seconds}, then try the newest code")
        else:
            form.add_error("token", "The security code is not right. Check your authenticator app and try again")
        if getattr(request, "axes_locked_out", False):
            logout(request)
            return render(request, "registration/locked_out.html", status=403)
    context = {"form": form, "enrolling": enrolling}
    if enrolling:
        context.update(qr_svg=otp.qr_svg(pending), secret=otp.base32_secret(pending))
    return render(request, "registration/verify.html", context)


@login_required
def recovery_codes_view(request):
    codes = request.session.pop("fresh_recovery_codes", None)
    if not codes:
        return redirect("home")
    return render(request, "registration/recovery_codes.html", {"codes": codes})


@require_POST
def logout_view(request):
    logout(request)
    messages.success(request, "You have signed out.")
    return redirect("login")


def home(request):
    from navigator.screening.models import Calibration, CalibrationStatus
    from navigator.screening.services import waiting_per_force

    user = request.user
    triages = user.role in (Role.NAVIGATOR, Role.LEAD)
    return render(request, "core/home.html", {
        "is_case_worker": user.role in (Role.NAVIGATOR, Role.LEAD, Role.POLICE),
        "triages": triages, "waiting": sum(waiting_per_force(user).values()) if triages else 0,
        "sees_summary": user.role in (Role.NAVIGATOR, Role.LEAD, Role.EVALUATOR),
        "calibration_waiting": Calibration.objects.filter(status=CalibrationStatus.PROPOSED).first()
        if user.role == Role.LEAD else None,
    })


def task_status(request, task_id):
    """Progress of a background task. While it runs, task-progress.js asks for this page again every few seconds and
    updates it in place; without JavaScript the page offers a Refresh link."""
    progress = get_visible_or_404(TaskProgress.objects.all(), request.user, task_id=task_id)
    status = tasks.status_of(progress)
    running = status in tasks.UNFINISHED
    return render(request, "core/task.html", {"progress": progress, "status": status, "running": running,
                                              "paused": request.GET.get("paused") == "1"})


@require_POST
def keep_alive(request):
    """Asked by a page's sign-out warning ("Stay signed in"): the request itself renews the idle session, which is saved
    on every request. Nothing is read, so nothing is audited."""
    return JsonResponse({"signed_in_for_seconds": settings.SESSION_COOKIE_AGE})
