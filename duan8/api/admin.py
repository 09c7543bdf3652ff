from django.contrib import admin
from rest_framework_api_key.models import APIKey

# The package's own key model is not used: our tokens (``ApiToken``) belong to a user and are
# made and revoked on the account pages, not in Django's admin.
if admin.site.is_registered(APIKey):
    admin.site.unregister(APIKey)
