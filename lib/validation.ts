/** Small predicates shared by settings validation; pure and dependency-free. */

/** RFC 1123 hostname with at least two labels, lower or upper case, no trailing dot. */
export function isHostname(value: string): boolean {
    if (value.length > 253) return false;
    const labels = value.split(".");
    if (labels.length < 2) return false;
    return labels.every((l) => /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l)) && !/^\d+$/.test(labels[labels.length - 1]);
}

/** IPv4 CIDR block whose address has no bits set beyond the prefix (AWS rejects those). */
export function isCidr(value: string): boolean {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
    if (!m) return false;
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || prefix > 32) return false;
    const address = octets.reduce((acc, o) => acc * 256 + o, 0);
    const hostBits = 2 ** (32 - prefix);
    return address % hostBits === 0;
}

export function cidrPrefixLength(cidr: string): number {
    return Number(cidr.split("/")[1]);
}

/** EC2 instance type: family (letters, generation digit, attribute letters, optional -flex) dot size. */
export function isInstanceType(value: string): boolean {
    return /^[a-z]+\d+[a-z-]*\.(\d*(nano|micro|small|medium|large|xlarge)|metal(-\d+xl)?)$/.test(value);
}

/** Graviton families carry a `g` right after the generation (t4g, c7g, m7gd, c7gn, r8g), plus a1. */
export function isGravitonInstanceType(value: string): boolean {
    const family = value.split(".")[0];
    return family === "a1" || /^[a-z]+\d+g[a-z]*(-flex)?$/.test(family);
}
