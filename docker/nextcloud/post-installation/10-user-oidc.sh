#!/bin/sh
# Runs once after Nextcloud's first installation (nextcloud image hook).
# user_oidc validates bearer tokens from the nextcloud-mcp realm; bearer provisioning is ON, which is
# exactly why the dashboard's worker must never send a service-account token (it would become a user).
set -eu
occ() { php /var/www/html/occ "$@"; }
occ app:install user_oidc || occ app:enable user_oidc
occ config:system:set allow_local_remote_servers --value=true --type=boolean
occ config:system:set user_oidc selfencoded_bearer_validation --value=true --type=boolean
occ user_oidc:provider keycloak \
  --clientid=nextcloud \
  --clientsecret="$OIDC_CLIENT_SECRET" \
  --discoveryuri=http://keycloak.localhost:8180/realms/nextcloud-mcp/.well-known/openid-configuration \
  --scope="openid profile email" \
  --unique-uid=0 \
  --mapping-uid=preferred_username \
  --mapping-display-name=name \
  --mapping-email=email \
  --check-bearer=1 \
  --bearer-provisioning=1
