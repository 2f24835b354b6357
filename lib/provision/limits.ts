/** EC2's limit on user data, in bytes before base64. */
export const USER_DATA_LIMIT_BYTES = 16 * 1024;
