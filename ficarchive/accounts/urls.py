from django.urls import path

from ficarchive.accounts.views import account, apitokens, auth, muting, notifications, pseuds

# Registers the `id` path converter (bounded database ids) that the pseud pages use.
from ficarchive.core import converters as _converters  # noqa: F401

# Pages of the accounts namespace that higher apps own (the creator's dashboard, reader filters,
# creator listings) join these patterns in ficarchive/urls.py.
app_name = "accounts"
urlpatterns = [
    path("users/<str:login>/mute", muting.user_mute_toggle, name="user_mute"),
    # Reader control.
    path("account/muted", muting.muted_users, name="muted_users"),
    # Signing up and in.
    path("signup", auth.signup, name="signup"),
    path("signup/done", auth.signup_done, name="signup_done"),
    path("signup/confirm/<str:uidb64>/<str:token>", auth.confirm, name="confirm"),
    path("signup/resend", auth.confirmation_resend, name="confirmation_resend"),
    path("invitations", auth.invite_request_view, name="invite_request"),
    path("login", auth.login, name="login"),
    path("logout", auth.logout, name="logout"),
    path("password/reset", auth.password_reset, name="password_reset"),
    path("password/reset/sent", auth.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/<str:uidb64>/<str:token>",
        auth.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password/reset/done", auth.password_reset_complete, name="password_reset_complete"),
    # One's own account.
    path("account", account.account_home, name="account"),
    path("account/preferences", account.preferences, name="preferences"),
    path("account/preferences/display", account.display_preferences, name="display_preferences"),
    path("account/email", account.email_change, name="email_change"),
    path("account/email/<str:token>", account.email_change_confirm_view, name="email_confirm"),
    path("account/password", account.password_change, name="password_change"),
    path("account/password/done", account.password_change_done, name="password_change_done"),
    path("unsubscribe/<str:token>", notifications.unsubscribe, name="unsubscribe"),
    path("account/deleted", account.account_deleted, name="account_deleted"),
    path("account/tokens", apitokens.api_tokens, name="api_tokens"),
    path(
        "account/tokens/<id:token_id>/revoke",
        apitokens.api_token_revoke_view,
        name="api_token_revoke",
    ),
    path("account/pseuds", pseuds.pseud_list, name="pseuds"),
    path("account/pseuds/new", pseuds.pseud_new, name="pseud_new"),
    path("account/pseuds/<id:pseud_id>/edit", pseuds.pseud_edit, name="pseud_edit"),
    path("account/pseuds/<id:pseud_id>/delete", pseuds.pseud_delete_view, name="pseud_delete"),
    path("account/pseuds/<id:pseud_id>/default", pseuds.pseud_default, name="pseud_default"),
]
