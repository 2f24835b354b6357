/**
 * The subnet address plan, pinned: changing it replaces every subnet of every existing stack.
 * Expected blocks worked out by hand: the VPC is cut into 16 equal blocks (prefix + 4); private
 * subnets take blocks 0..n-1, public ones 8..8+n-1.
 */
import { strict as assert } from "assert";
import { subnetCidrs } from "../../lib/aws/network";

describe("Network: subnet address plan (fixed output)", () => {
    it("default 10.80.0.0/16 over 2 zones: /20 blocks of 4096 addresses", () => {
        assert.deepEqual(subnetCidrs("10.80.0.0/16", 2), {
            private: ["10.80.0.0/20", "10.80.16.0/20"],
            public: ["10.80.128.0/20", "10.80.144.0/20"],
        });
    });

    it("172.16.0.0/18 over 3 zones: /22 blocks", () => {
        assert.deepEqual(subnetCidrs("172.16.0.0/18", 3), {
            private: ["172.16.0.0/22", "172.16.4.0/22", "172.16.8.0/22"],
            public: ["172.16.32.0/22", "172.16.36.0/22", "172.16.40.0/22"],
        });
    });

    it("192.168.64.0/19 over 4 zones: /23 blocks", () => {
        assert.deepEqual(subnetCidrs("192.168.64.0/19", 4), {
            private: ["192.168.64.0/23", "192.168.66.0/23", "192.168.68.0/23", "192.168.70.0/23"],
            public: ["192.168.80.0/23", "192.168.82.0/23", "192.168.84.0/23", "192.168.86.0/23"],
        });
    });

    it("the smallest VPC, 10.1.0.0/22, over the most zones, 6: /26 blocks of 64 addresses", () => {
        assert.deepEqual(subnetCidrs("10.1.0.0/22", 6), {
            private: ["10.1.0.0/26", "10.1.0.64/26", "10.1.0.128/26", "10.1.0.192/26", "10.1.1.0/26", "10.1.1.64/26"],
            public: ["10.1.2.0/26", "10.1.2.64/26", "10.1.2.128/26", "10.1.2.192/26", "10.1.3.0/26", "10.1.3.64/26"],
        });
    });

    it("a high address (no sign or overflow trouble): 223.255.252.0/22 over 2 zones", () => {
        assert.deepEqual(subnetCidrs("223.255.252.0/22", 2), {
            private: ["223.255.252.0/26", "223.255.252.64/26"],
            public: ["223.255.254.0/26", "223.255.254.64/26"],
        });
    });
});
