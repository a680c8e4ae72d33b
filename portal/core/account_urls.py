"""Sign in, sign out, change password (Django's own views with the portal's templates), and one's API tokens."""

from django.contrib.auth import views as auth_views
from django.urls import path

from portal.core import token_views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("api-tokens/", token_views.ApiTokensView.as_view(), name="api-tokens"),
    path("api-tokens/revoke/", token_views.RevokeApiTokenView.as_view(), name="api-token-revoke"),
]
