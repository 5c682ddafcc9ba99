from django.contrib.auth import views as auth_views

from shared.accounts.forms import EmailLoginForm


class LoginView(auth_views.LoginView):
    form_class = EmailLoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass
