/**
 * Start-up configuration of the compliance rules and triage's regulator terms: the jurisdiction profiles
 * (built-in CN and EU plus COMPLIANCE_PROFILES_FILE) and the regulator-terms override (TRIAGE_REGULATOR_TERMS_FILE),
 * each profile's regulator terms added to triage's. Read and validated once, before the API starts: a bad file
 * throws with a message naming every problem (main.ts stops with exit code 78).
 */
import type { JurisdictionProfiles } from '@aftersales/compliance';
import { jurisdictionProfilesFromEnvironment } from '@aftersales/compliance';
import { TriageAnalyser, regulatorOverrideFromEnvironment } from '@aftersales/triage';

export interface ComplianceConfiguration {
  jurisdictions: JurisdictionProfiles;
  /** Matches regulator terms at opening (triage) and in customer messages (the L3 rule). */
  triage: TriageAnalyser;
}

export function complianceConfigurationFromEnvironment(env: NodeJS.ProcessEnv = process.env): ComplianceConfiguration {
  const jurisdictions = jurisdictionProfilesFromEnvironment(env);
  const override = regulatorOverrideFromEnvironment(env) ?? {};
  const profileTerms = jurisdictions.regulatorTerms();
  const regulator = profileTerms.length ? { ...override, addTerms: [...(override.addTerms ?? []), ...profileTerms] } : override;
  return { jurisdictions, triage: new TriageAnalyser({ regulator }) };
}
