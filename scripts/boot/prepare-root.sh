#!/bin/bash
# prepare-root.sh CACHE_DIR [PACKAGE...]: build (once) the clean Debian 12 root the boot test
# starts each node from, at CACHE_DIR/base: debootstrap minbase plus what the official Debian 12
# AMI brings and a minbase root lacks (cloud-init, locales), configured to read a NoCloud seed, and
# a policy-rc.d so package installs in the chroot never start daemons on the host's network. No
# Matomo packages: installing those is the user data's job.
# With PACKAGE... (the packages the user data installs, from lib/provision), also download once,
# into CACHE_DIR/debs/<key of that list>, the .deb files apt would fetch to install them on the
# base; prints that directory last. The test links them into each node's /var/cache/apt/archives
# so the user data's own apt-get update/install still run, resolve against a fresh index and
# unpack and configure every package, but need not fetch the same files twice per run.
# Needs root, debootstrap and network access to Debian's archive. Safe to run concurrently with
# itself only if CACHE_DIR differs.
set -euo pipefail

cache=$(realpath -m "${1:?usage: prepare-root.sh CACHE_DIR [PACKAGE...]}")
shift
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
# The chroot shares the host's kernel, disks, hostname and network: cloud-init modules that act
# on those (growpart, resizefs, mounts, set_hostname, network config...) must not run here. The
# user data only needs write_files and runcmd, so the boot test runs exactly the modules that
# carry those out; on EC2 the image's default module list runs them the same way.
write_boot_test_cfg() {
    cat > "$1/etc/cloud/cloud.cfg.d/90_boot_test.cfg" << 'CFG'
# boot test: the user data comes from a NoCloud seed, as EC2's would from the metadata service
datasource_list: [ NoCloud, None ]
network: {config: disabled}
preserve_hostname: true
manage_etc_hosts: false
growpart: {mode: "off"}
resize_rootfs: false
cloud_init_modules: [migrator, bootcmd, write-files]
cloud_config_modules: [runcmd]
cloud_final_modules: [scripts-user, final-message]
CFG
    # Boot test only, never on EC2 (the user data does not touch dpkg's configuration): no fsync
    # per unpacked file. A crash here loses a throwaway test root, not an instance.
    cat > "$1/etc/dpkg/dpkg.cfg.d/90-boot-test-unsafe-io" << 'CFG'
# boot test only: this root is thrown away after the test, so dpkg need not fsync what it unpacks
force-unsafe-io
CFG
}

in_root() {
    chroot "$1" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive sh -c "$2"
}

# The .deb files apt would download to install "$@" on the base, into $cache/debs/<key>, where
# the key is the sorted package list: a changed list (lib/provision) downloads afresh. apt runs in
# the base with its index and download directories moved to a scratch directory, so the base
# keeps no package index and no downloads. When Debian publishes a new revision later, the node's
# apt simply downloads that one file: this cache only ever saves downloads.
prefetch() {
    local key dir scratch=/var/tmp/boot-test-prefetch
    key=$(printf '%s\n' "$@" | sort -u | sha256sum | cut -c1-16)
    dir="$cache/debs/$key"
    if [ ! -f "$dir/.complete" ]; then
        echo "prepare-root: downloading the node packages' .deb files once ($key)"
        rm -rf "$dir" "$cache/base$scratch"
        mkdir -p "$dir" "$cache/base$scratch/lists/partial" "$cache/base$scratch/archives/partial"
        local apt="apt-get -q -o Dir::State::Lists=$scratch/lists -o Dir::Cache::Archives=$scratch/archives -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache="
        in_root "$cache/base" "$apt update && $apt install -y --download-only --no-install-recommends $*" > "$cache/prefetch.log" 2>&1 \
            || { tail -n 20 "$cache/prefetch.log"; exit 1; }
        find "$cache/base$scratch/archives" -maxdepth 1 -name '*.deb' -exec mv -t "$dir" {} +
        rm -rf "$cache/base$scratch"
        touch "$dir/.complete"
    fi
    find "$cache/debs" -mindepth 1 -maxdepth 1 ! -name "$key" -exec rm -rf {} +
    echo "$dir"
}

if [ -f "$cache/base/.boot-test-base" ]; then
    write_boot_test_cfg "$cache/base"
    # Bases built before the package cache existed kept debootstrap's downloads: drop them.
    find "$cache/base/var/cache/apt/archives" -maxdepth 1 -name '*.deb' -delete
    if [ "$#" -gt 0 ]; then prefetch "$@"; fi
    exit 0
fi

mkdir -p "$cache"
work="$cache/base.partial"
cleanup() {
    if mountpoint -q "$work/proc"; then umount "$work/proc"; fi
}
trap cleanup EXIT
rm -rf "$work"
echo "prepare-root: debootstrap --variant=minbase bookworm ($mirror)"
debootstrap --variant=minbase bookworm "$work" "$mirror" > "$cache/debootstrap.log" 2>&1 \
    || { tail -n 20 "$cache/debootstrap.log"; exit 1; }
printf '#!/bin/sh\n# boot test: never start services while installing packages in this chroot\nexit 101\n' > "$work/usr/sbin/policy-rc.d"
chmod 0755 "$work/usr/sbin/policy-rc.d"
mount -t proc proc "$work/proc"
echo "prepare-root: installing cloud-init and locales (as on the Debian 12 AMI)"
in_root "$work" 'apt-get update -q && apt-get install -y -q --no-install-recommends cloud-init locales && apt-get clean' > "$cache/prepare-apt.log" 2>&1 \
    || { tail -n 20 "$cache/prepare-apt.log"; exit 1; }
umount "$work/proc"
write_boot_test_cfg "$work"
apt_lists="$work/var/lib/apt/lists"
find "$apt_lists" -maxdepth 1 -type f -name '*_Packages*' -delete
touch "$work/.boot-test-base"
rm -rf "$cache/base"
mv "$work" "$cache/base"
echo "prepare-root: $cache/base ready"
if [ "$#" -gt 0 ]; then prefetch "$@"; fi
