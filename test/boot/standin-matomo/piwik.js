/* stand-in matomo.js (boot test only) */
