#!/bin/bash
# matomo-provision: turns a stock Debian 12 instance into a Matomo node of one role (tracker or
# ui), from the files cloud-init wrote under /etc/matomo-provision and /usr/local/lib/matomo-provision.
# Run once by cloud-init (runcmd); safe to rerun by hand: every step checks before it changes.
# Progress goes to stdout, which cloud-init appends to /var/log/cloud-init-output.log.
set -euo pipefail

readonly PAYLOAD=/etc/matomo-provision
readonly LIB=/usr/local/lib/matomo-provision

# shellcheck source=/dev/null
. "$PAYLOAD/provision.env"
# shellcheck source=/dev/null
. "$LIB/common.sh"

: "${MATOMO_ROLE:?}" "${MATOMO_VERSION:?}" "${MATOMO_CONFIG_SHA256:?}" "${MATOMO_PACKAGES:?}" "${MATOMO_HTTP_PORT:?}"
started=$(date +%s)
log "provisioning a $MATOMO_ROLE node for Matomo $MATOMO_VERSION (config template sha256 $MATOMO_CONFIG_SHA256)"

install -d -m 0755 "$STATE"
# A failed run takes the node out of the load balancer (health needs this marker), and on a ui
# node closes the installer gate again (loopback only; see installerGate.ts). It always ends with
# an ERROR line in this log's format, which the provisioning-failures alarm counts: a command that
# failed under set -e (Matomo's console, apt) logs only in its own words.
on_exit() {
    local status=$?
    [ "$status" -eq 0 ] && return
    log "ERROR: provisioning stopped (exit status $status); the lines above say where" >&2
    rm -f "$STATE/ready"
    if [ "$MATOMO_ROLE" = ui ] && [ -f "$MATOMO_INSTALLER_GATE" ] && ! cmp -s "$PAYLOAD/installer-gate.conf" "$MATOMO_INSTALLER_GATE"; then
        cp "$PAYLOAD/installer-gate.conf" "$MATOMO_INSTALLER_GATE"
        nginx -s reload 2> /dev/null || true
    fi
}
trap on_exit EXIT

# 0. Pre-built image (nodeImage.prebuilt; docs/provisioning.md, "Booting from a pre-built image").
#    The bake (MATOMO_PROVISION_MODE=bake) runs steps 1 and 2 only and leaves the image manifest as
#    the marker. A node whose bundle carries the same manifest skips the package step; steps 2 find
#    the release and plugins in place (their own markers). Any other marker: the full install.
readonly BAKED=/opt/matomo/.baked
skip_packages=0
if [ "${MATOMO_PROVISION_MODE:-boot}" != bake ] && [ -f "$BAKED" ]; then
    if [ -f "$PAYLOAD/image.manifest" ] && cmp -s "$PAYLOAD/image.manifest" "$BAKED"; then
        skip_packages=1
        log "booting from a pre-built image ($(grep -m1 '^matomo_version=' "$BAKED")): packages, release and plugins are baked in"
    else
        log "WARNING: this image's $BAKED does not match this node's image manifest ($(grep -m1 '^matomo_version=' "$BAKED" || true) baked); installing as on a stock image"
    fi
fi

# 1. Packages. apt-get only runs when something is missing, so a rerun touches nothing.
missing=()
PACKAGES_CHANGED=0
installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2> /dev/null || true)" = "install ok installed" ]; }
[ "$skip_packages" = 1 ] || for pkg in $MATOMO_PACKAGES; do
    installed "$pkg" || missing+=("$pkg")
done
# 1a. Reachability, before anything downloads (docs/aws.md, "What nodes reach"): every host this
#     run is about to need, from the same settings the steps below use, probed at once within a
#     minute (matomo-reach.sh). A required one not reached stops here, named, rather than after minutes of apt's or curl's
#     retries; an optional one warns. With the CloudWatch agent already on the node (a pre-built
#     image, a rerun) it is started first, so the ERROR lines reach the provisioning-failures alarm.
reach=0
"$LIB/matomo-reach.sh" targets "$PAYLOAD" "${missing[@]}" | MATOMO_ROLE=$MATOMO_ROLE "$LIB/matomo-reach.sh" || reach=$?
if [ "$reach" != 0 ]; then
    if [ "$MATOMO_CLOUDWATCH" = 1 ] && installed amazon-cloudwatch-agent; then
        MATOMO_ROLE=$MATOMO_ROLE "$LIB/matomo-cloudwatch-agent.sh" "$MATOMO_CLOUDWATCH_AGENT_URL" "$MATOMO_CLOUDWATCH_AGENT_KEY_URL" "$MATOMO_CLOUDWATCH_AGENT_FINGERPRINT" "$PAYLOAD/cloudwatch-agent.json" || true
    fi
    die "this node cannot reach what it needs (named above): check its subnet's route to the internet (NAT) or its VPC endpoints (docs/aws.md, \"What nodes reach\")"
fi

if [ "${#missing[@]}" -gt 0 ]; then
    log "installing packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # On first boot apt's daily timers may hold the dpkg lock: wait for it rather than fail.
    retry 3 apt-get -o DPkg::Lock::Timeout=600 update -q
    retry 3 apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}"
    # A package may bring a PHP extension (php-redis on a rerun that turned QueuedTracking on):
    # php-fpm loads extensions only at start, and whether a package's scripts restart it depends
    # on the image (a chroot or a policy-rc.d does not). So php-fpm reloads below, whatever apt did.
    PACKAGES_CHANGED=1
else
    log "packages already installed"
fi

# 1b. AWS's SSM Agent (Session Manager is the only way onto a node), verified against AWS's pinned
#     key. A signature that does not verify stops provisioning (tampering); an unreachable download
#     does not (the node can serve Matomo; a rerun installs the agent). See docs/provisioning.md.
ssm=0
MATOMO_ROLE=$MATOMO_ROLE "$LIB/matomo-ssm-agent.sh" "$MATOMO_SSM_AGENT_URL" "$MATOMO_SSM_AGENT_FINGERPRINT" "$PAYLOAD/amazon-ssm-agent.asc" || ssm=$?
[ "$ssm" = 0 ] || [ "$ssm" = 3 ] || die "the SSM Agent could not be verified, installed or started (reason above)"

# 1c. With observability on: AWS's CloudWatch agent, verified against AWS's pinned key, ships this
#     node's logs (this log too, so what follows reaches CloudWatch). Same rules as the SSM Agent.
if [ "$MATOMO_CLOUDWATCH" = 1 ]; then
    cw=0
    install -d -o www-data -g www-data -m 0750 /var/log/matomo
    MATOMO_ROLE=$MATOMO_ROLE "$LIB/matomo-cloudwatch-agent.sh" "$MATOMO_CLOUDWATCH_AGENT_URL" "$MATOMO_CLOUDWATCH_AGENT_KEY_URL" "$MATOMO_CLOUDWATCH_AGENT_FINGERPRINT" "$PAYLOAD/cloudwatch-agent.json" || cw=$?
    [ "$cw" = 0 ] || [ "$cw" = 3 ] || die "the CloudWatch agent could not be verified, installed or configured (reason above)"
fi

# 2. The pinned Matomo release, verified before a single file of it is used; then the listed
#    plugins (not in the release), each verified the same way, on every node so the code is the same.
"$LIB/matomo-release.sh"
"$LIB/matomo-plugins.sh" install

# Bake: the image gets the manifest as its marker, and nothing of a deployment (no config, no secret, no database).
if [ "${MATOMO_PROVISION_MODE:-boot}" = bake ]; then
    install -D -m 0644 "$PAYLOAD/image.manifest" "$BAKED"
    log "baked $(grep -m1 '^matomo_version=' "$BAKED") into the image after $(( $(date +%s) - started ))s; marker $BAKED sha256 $(sha256sum "$BAKED" | cut -d' ' -f1)"
    exit 0
fi

# 3. PHP and nginx, sized to this instance: the pool from vCPUs, capped by memory (matomo-fpm-pool.sh).
mem_mb=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 }' /proc/meminfo)
vcpus=$(nproc)
FILES_CHANGED=0
pool_tmp=$(mktemp)
"$LIB/matomo-fpm-pool.sh" "$PAYLOAD/php-fpm-pool.conf" "$vcpus" "$mem_mb" > "$pool_tmp" || die "php-fpm pool: this instance is too small for a $MATOMO_ROLE node"
log "php-fpm: $vcpus vCPUs, ${mem_mb} MB memory: $(grep -E '^pm\.(max_children|min_spare_servers|max_spare_servers) ' "$pool_tmp" | paste -sd ' ')"
install_file "$pool_tmp" "/etc/php/$PHP_VERSION/fpm/pool.d/matomo.conf" root root 0644
rm -f "$pool_tmp"
if [ -f "/etc/php/$PHP_VERSION/fpm/pool.d/www.conf" ]; then
    mv "/etc/php/$PHP_VERSION/fpm/pool.d/www.conf" "/etc/php/$PHP_VERSION/fpm/pool.d/www.conf.disabled"
    FILES_CHANGED=1
fi
install_file "$PAYLOAD/php-fpm.ini" "/etc/php/$PHP_VERSION/fpm/conf.d/90-matomo.ini" root root 0644
install_file "$PAYLOAD/php-cli.ini" "/etc/php/$PHP_VERSION/cli/conf.d/90-matomo.ini" root root 0644
install_file "$PAYLOAD/nginx-site.conf" /etc/nginx/sites-available/matomo root root 0644
if [ "$(readlink /etc/nginx/sites-enabled/matomo || true)" != /etc/nginx/sites-available/matomo ]; then
    ln -sfn /etc/nginx/sites-available/matomo /etc/nginx/sites-enabled/matomo
    FILES_CHANGED=1
fi
if [ -e /etc/nginx/sites-enabled/default ]; then
    rm -f /etc/nginx/sites-enabled/default
    FILES_CHANGED=1
fi
install -d -o www-data -g www-data -m 0750 /var/log/matomo
# ui: until this node is ready, its site answers loopback only (the installer runs then); the
# open gate is an empty file.
if [ "$MATOMO_ROLE" = ui ]; then
    gate=$PAYLOAD/installer-gate.conf
    [ -f "$STATE/ready" ] && gate=/dev/null
    install_file "$gate" "$MATOMO_INSTALLER_GATE" root root 0644
fi

"php-fpm$PHP_VERSION" -t
nginx -t -q
start_or_reload php-fpm "$(( FILES_CHANGED | PACKAGES_CHANGED ))"
start_or_reload nginx "$FILES_CHANGED"

# 4. The node's copy of the config with secrets filled in (root only; never in user data).
echo "$MATOMO_CONFIG_SHA256  $PAYLOAD/config.ini.php.template" | sha256sum -c --quiet \
    || die "config template does not match the sha256 the user data was rendered with"
if [ "$MATOMO_DB_TLS" = 1 ]; then
    if [ ! -s "$MATOMO_DB_CA_PATH" ]; then
        log "fetching the database CA bundle from $MATOMO_DB_CA_URL"
        install -d -m 0755 "$(dirname "$MATOMO_DB_CA_PATH")"
        retry_download 5 curl -fsS --proto '=https' -o "$MATOMO_DB_CA_PATH.tmp" "$MATOMO_DB_CA_URL"
        grep -q 'BEGIN CERTIFICATE' "$MATOMO_DB_CA_PATH.tmp" || die "database CA bundle is not PEM"
        chmod 0644 "$MATOMO_DB_CA_PATH.tmp"
        mv "$MATOMO_DB_CA_PATH.tmp" "$MATOMO_DB_CA_PATH"
    fi
fi
install -d -m 0750 -o root -g root /etc/matomo
# Each placeholder's value goes to the filler through the environment (never a command line).
for name in $MATOMO_CONFIG_SECRETS; do
    arn_var=MATOMO_SECRET_ARN_$name key_var=MATOMO_SECRET_KEY_$name
    # No ARN: a secret this role does not read (a tracker and the SMTP password; env.ts).
    value=unused-on-trackers
    [ -z "${!arn_var}" ] || value=$("$LIB/matomo-secret.sh" "${!arn_var}" "${!key_var}")
    printf -v "MATOMO_SECRET_$name" '%s' "$value"
    export "MATOMO_SECRET_$name"
done
unset value
base_tmp=$(mktemp)
php "$LIB/matomo-fill-config.php" "$PAYLOAD/config.ini.php.template" > "$base_tmp"
install_file "$base_tmp" "$BASE_CONFIG" root root 0600
# ui: the same template with the admin credential, for provisioning's own work on the database.
if [ "$MATOMO_ROLE" = ui ]; then
    MATOMO_SECRET_database_username=$MATOMO_DB_ADMIN_USER
    MATOMO_SECRET_database_password=$("$LIB/matomo-secret.sh" "$MATOMO_DB_ADMIN_PASSWORD_ARN" "$MATOMO_DB_ADMIN_PASSWORD_KEY")
    export MATOMO_SECRET_database_username MATOMO_SECRET_database_password
    php "$LIB/matomo-fill-config.php" "$PAYLOAD/config.ini.php.template" > "$base_tmp"
    install_file "$base_tmp" "$ADMIN_CONFIG" root root 0600
fi
for name in $MATOMO_CONFIG_SECRETS; do unset "MATOMO_SECRET_$name"; done
rm -f "$base_tmp"

# The ui node has stored the plugin sections, after applying exactly this node's plugin list.
sections_ready() {
    db get-option "$SECTIONS_OPTION" > /dev/null 2>&1 || return 1
    [ "$(db get-option "$PLUGINS_OPTION" 2> /dev/null || true)" = "$(plugins_applied)" ]
}

log "waiting for the database"
# A tracker's user exists once a ui node created it (matomo-db-users.php): until then it waits
# as long as for the install.
wait_seconds=600
[ "$MATOMO_ROLE" = ui ] || wait_seconds=$MATOMO_INSTALL_WAIT_SECONDS
deadline=$(( $(date +%s) + wait_seconds ))
until db ping; do
    [ "$(date +%s)" -lt "$deadline" ] || die "database not reachable (or this node's database user not created) after ${wait_seconds}s"
    sleep "$RETRY_PAUSE"
done
# What Matomo needs of the server (packet size, utf8mb4, TLS when configured), before any install.
db check-server || die "the database server does not meet Matomo's requirements (above); nothing was installed or changed on it"

# 5. ui: install once / update, under a database-wide lock. trackers: wait for it.
if [ "$MATOMO_ROLE" = ui ]; then
    db lock-run matomo-provision "$MATOMO_INSTALL_WAIT_SECONDS" -- "$LIB/matomo-ui-setup.sh"
else
    log "waiting for a ui node to install or update Matomo to $MATOMO_VERSION"
    deadline=$(( $(date +%s) + MATOMO_INSTALL_WAIT_SECONDS ))
    until [ "$(db get-option version_core 2>/dev/null || true)" = "$MATOMO_VERSION" ] && sections_ready; do
        [ "$(date +%s)" -lt "$deadline" ] || die "no ui node finished installing $MATOMO_VERSION within ${MATOMO_INSTALL_WAIT_SECONDS}s"
        sleep "$RETRY_PAUSE"
    done
fi

# 6. The config every node runs: the filled template plus the plugin sections Matomo keeps in
#    the database (see docs/provisioning.md). Same inputs on every node, so the same bytes.
sections_tmp=$(mktemp)
db get-option "$SECTIONS_OPTION" > "$sections_tmp"
config_tmp=$(mktemp)
php "$LIB/matomo-config-sections.php" assemble "$BASE_CONFIG" "$sections_tmp" > "$config_tmp"
install_file "$config_tmp" "$CONFIG" root www-data 0440
rm -f "$sections_tmp" "$config_tmp"
log "config.ini.php sha256 $(sha256sum "$CONFIG" | cut -d' ' -f1)"

# 6b. Matomo's caches (tmp/cache: the tracker's cache of the plugin list and settings, 12 h; the
#     general cache) were built from the config, plugins and code this node had; whenever one of
#     them changed, they go, as Matomo's own cache:clear does (plugins/CoreConsole/Commands/
#     ClearCaches.php). Otherwise a rerun's new config (QueuedTracking turned on) would be ignored
#     by the tracker for hours. What they were built from is remembered in $STATE/cache-inputs.
cache_inputs=$(cat "$CONFIG" "$STATE/release" "$PLUGIN_MANIFEST" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$STATE/cache-inputs" 2> /dev/null || true)" != "$cache_inputs" ]; then
    as_www php "$MATOMO_ROOT/console" cache:clear --no-interaction > /dev/null
    echo "$cache_inputs" > "$STATE/cache-inputs"
    log "cleared Matomo's caches: config, plugins or release changed"
fi

# 7. Files Matomo generates on local disk, each node for itself (docs/runtime-files.md): the
#    tracker JS with plugin additions; the location database the trackers locate visitors with;
#    Tag Manager containers, which Matomo writes into js/ (cron keeps both current afterwards;
#    matomo-release.sh gave js/ to PHP's user, sticky, before anything ran Matomo).
as_www php "$MATOMO_ROOT/console" custom-matomo-js:update --no-interaction
if [ "$MATOMO_GEOIP_PROVIDER" != off ]; then
    "$LIB/matomo-geoip.sh" install
fi
as_www "$LIB/matomo-generated-files.sh" "$MATOMO_ROOT"

# The database version check (ui; for the health check) writes into a directory of its own, as
# PHP's user; its first answer is taken now, cron asks every minute after.
if [ "$MATOMO_ROLE" = ui ]; then
    install -d -o www-data -g www-data -m 0755 "$STATE/version-check"
    as_www php "$LIB/matomo-version-check.php" "$CONFIG" "$STATE/version-check/database-version.json" \
        || log "WARNING: could not ask the database for its Matomo version; cron asks again every minute"
fi

# 8. cron on every node: containers and the location database; on ui also archiving. Their logs rotate.
install_file "$PAYLOAD/cron" /etc/cron.d/matomo root root 0644
install_file "$PAYLOAD/logrotate" /etc/logrotate.d/matomo root root 0644
start_or_reload cron 0

# ui: open the site to the load balancer, now that no installer runs.
if [ "$MATOMO_ROLE" = ui ]; then
    FILES_CHANGED=0
    install_file /dev/null "$MATOMO_INSTALLER_GATE" root root 0644
    nginx -t -q
    start_or_reload nginx "$FILES_CHANGED"
fi

touch "$STATE/ready"
# Back in the load balancer after a release swap (matomo-release.sh drained the node).
rm -f "$STATE/drain"
log "ready after $(( $(date +%s) - started ))s; health check: http://127.0.0.1:$MATOMO_HTTP_PORT$MATOMO_HEALTH_PATH"
