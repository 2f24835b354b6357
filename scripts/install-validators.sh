#!/usr/bin/env bash
# Installs, from Debian's archive, the real tools the tests run against what we render:
# php (config.ini.php), php-fpm and nginx (-t), shellcheck, cloud-init (schema),
# and what the boot test needs (debootstrap for a clean Debian 12 root, a MariaDB server,
# openssl for its stand-in HTTPS server, gnupg for the signature check's test keys, zip and
# unzip for the QueuedTracking plugin installer's test zips, MaxMind's DB writer for its stand-in
# location database), graphviz to render the plan's topology, logrotate to check the nodes' rotation,
# redis-server and php-redis for QueuedTracking's Redis connection over TLS with AUTH; php-mysql
# for the database users' script run against a real MariaDB (test/provision/dbUsers.test.ts).
# Idempotent; run as root on Debian 12.
set -euo pipefail

packages=(
  php-cli
  php-fpm
  nginx-light
  shellcheck
  cloud-init
  debootstrap
  mariadb-server
  mariadb-client
  openssl
  gnupg
  zip
  unzip
  graphviz
  libmaxmind-db-writer-perl
  logrotate
  redis-server
  php-redis
  php-mysql
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "validators: all installed"
  exit 0
fi

echo "validators: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Package scripts try to start services; there is no init system in CI containers, and the
# tests start what they need themselves.
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
