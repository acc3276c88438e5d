/// An imaging modality, by the code the register uses.
public enum Modality: String, CaseIterable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    case ct = "CT"
    case mr = "MR"
    case xr = "XR"
    case us = "US"
    case dexa = "DEXA"
    case nm = "NM"
    case petct = "PETCT"
    case mg = "MG"
    case fl = "FL"
    case ir = "IR"

    /// The register code, for example `MR`.
    public var description: String { rawValue }

    /// The name a planner reads, for example `MRI`.
    public var displayName: String {
        switch self {
        case .ct: "CT"
        case .mr: "MRI"
        case .xr: "X-ray"
        case .us: "Ultrasound"
        case .dexa: "DEXA"
        case .nm: "Nuclear medicine"
        case .petct: "PET-CT"
        case .mg: "Mammography"
        case .fl: "Fluoroscopy"
        case .ir: "Interventional radiology"
        }
    }

    /// Reads a modality from a code or a common spelling ("MRI", "X-ray", "Ultrasound", "PET/CT",
    /// "Mammography", "Cath lab"...), ignoring case, spaces and punctuation; nil when none matches.
    public init?(spelling: some StringProtocol) {
        let key = Spelling.key(spelling)
        guard let modality = Modality.spellings[key] else { return nil }
        self = modality
    }

    /// The accepted spellings, reduced to lowercase letters and digits.
    private static let spellings: [String: Modality] = [
        "ct": .ct, "cat": .ct, "ctscanner": .ct, "computedtomography": .ct, "computerisedtomography": .ct,
        "computerizedtomography": .ct, "ctscan": .ct,
        "mr": .mr, "mri": .mr, "mriscanner": .mr, "magneticresonance": .mr, "magneticresonanceimaging": .mr,
        "xr": .xr, "xray": .xr, "radiography": .xr, "generalradiography": .xr, "dr": .xr, "cr": .xr,
        "plainfilm": .xr, "dx": .xr, "xrayroom": .xr,
        "us": .us, "ultrasound": .us, "ultrasonography": .us, "sonography": .us, "usg": .us,
        "dexa": .dexa, "dxa": .dexa, "bonedensitometry": .dexa, "densitometry": .dexa,
        "nm": .nm, "nuclearmedicine": .nm, "gammacamera": .nm, "spect": .nm, "spectct": .nm,
        "petct": .petct, "pet": .petct, "pt": .petct, "petscanner": .petct,
        "mg": .mg, "mammography": .mg, "mammo": .mg, "mammogram": .mg, "breastscreening": .mg,
        "fl": .fl, "fluoroscopy": .fl, "fluoro": .fl, "rf": .fl,
        "ir": .ir, "interventional": .ir, "interventionalradiology": .ir, "cathlab": .ir, "angiography": .ir,
        "angio": .ir, "xa": .ir,
    ]

    public static func < (lhs: Modality, rhs: Modality) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
