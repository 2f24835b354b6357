/** The trust policy of a role that one AWS service assumes (EC2 instances, RDS enhanced monitoring). */
export function serviceAssumeRolePolicy(service: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
    });
}
