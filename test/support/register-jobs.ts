// Setup file of the integration tests: the tests drain the queue in their own worker, so every
// job is registered there as the server's entry points do.
import "../../server/jobs";
