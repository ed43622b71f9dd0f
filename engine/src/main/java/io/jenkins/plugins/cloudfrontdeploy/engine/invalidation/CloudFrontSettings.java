package io.jenkins.plugins.cloudfrontdeploy.engine.invalidation;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import java.io.Serializable;

/**
 * How to reach CloudFront and as whom. Nothing set means the SDK's default chain (environment, profile, web identity,
 * container or instance role) and the real endpoint, or {@code AWS_ENDPOINT_URL_CLOUDFRONT} / {@code AWS_ENDPOINT_URL}.
 *
 * @param profile a named profile of the shared AWS config files, or {@code null}
 * @param accessKeyId explicit keys (e.g. resolved by Jenkins from a credentials id), or {@code null}
 * @param secretAccessKey never printed: {@link #toString()} leaves it out
 * @param sessionToken for temporary explicit keys, or {@code null}
 * @param roleArn a role to assume through STS with the credentials above, or {@code null}
 * @param externalId the external id the role's trust policy asks for, or {@code null}
 * @param endpointUrl another endpoint (tests, compatible services), or {@code null}
 */
public record CloudFrontSettings(String profile, String accessKeyId, String secretAccessKey, String sessionToken,
        String roleArn, String externalId, String endpointUrl) implements Serializable {
    public static final CloudFrontSettings DEFAULT = new CloudFrontSettings(null, null, null, null, null, null, null);

    public CloudFrontSettings {
        if ((accessKeyId == null) != (secretAccessKey == null)) {
            throw new DeployException("an AWS access key id needs its"
                    + " secret access key and the other way round: give both, or neither for the default chain");
        }
        if (externalId != null && roleArn == null) {
            throw new DeployException("--external-id is only used with"
                    + " --role-arn: give the role to assume");
        }
    }

    @Override
    public String toString() {
        return "CloudFrontSettings[profile=" + profile + ", accessKeyId=" + accessKeyId
                + ", secretAccessKey=" + (secretAccessKey == null ? null : "****")
                + ", sessionToken=" + (sessionToken == null ? null : "****") + ", roleArn=" + roleArn
                + ", externalId=" + externalId + ", endpointUrl=" + endpointUrl + "]";
    }
}
