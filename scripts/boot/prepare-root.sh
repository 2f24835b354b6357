#!/bin/bash
# prepare-root.sh CACHE_DIR: build (once) the clean Debian 12 root the boot test starts each node
# from, at CACHE_DIR/base: debootstrap minbase plus what the official Debian 12 AMI brings and a
# minbase root lacks (cloud-init, locales), configured to read a NoCloud seed, and a policy-rc.d
# so package installs in the chroot never start daemons on the host's network. No Matomo
# packages: installing those is the user data's job. Needs root, debootstrap and network access
# to Debian's archive. Safe to run concurrently with itself only if CACHE_DIR differs.
set -euo pipefail

cache=$(realpath -m "${1:?usage: prepare-root.sh CACHE_DIR}")
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
}

if [ -f "$cache/base/.boot-test-base" ]; then
    write_boot_test_cfg "$cache/base"
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
chroot "$work" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
    sh -c 'apt-get update -q && apt-get install -y -q --no-install-recommends cloud-init locales' > "$cache/prepare-apt.log" 2>&1 \
    || { tail -n 20 "$cache/prepare-apt.log"; exit 1; }
umount "$work/proc"
write_boot_test_cfg "$work"
apt_lists="$work/var/lib/apt/lists"
find "$apt_lists" -maxdepth 1 -type f -name '*_Packages*' -delete
touch "$work/.boot-test-base"
rm -rf "$cache/base"
mv "$work" "$cache/base"
echo "prepare-root: $cache/base ready"
