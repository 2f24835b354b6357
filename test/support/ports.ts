/**
 * A loopback port nothing listens on right now: bound to port 0 (the kernel picks), then closed.
 * Tests start their servers on such ports rather than fixed ones, so test files can run side by side
 * (scripts/test-all.mjs runs the boot test beside the others) without taking each other's ports.
 */
import { createServer } from "net";
import type { AddressInfo } from "net";

export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const s = createServer();
        s.once("error", reject);
        s.listen(0, "127.0.0.1", () => {
            const port = (s.address() as AddressInfo).port;
            s.close(() => resolve(port));
        });
    });
}
