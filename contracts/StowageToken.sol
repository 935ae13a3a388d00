// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title The token of devnets and tests
/// @notice An ordinary OpenZeppelin ERC-20 its owner mints. 6 decimals: one unit is one
/// micro-token, the unit of the satellite's ledger. On a real chain the satellite pays in an
/// existing token instead (any ERC-20 at --token).
contract StowageToken is ERC20, Ownable {
    constructor(address owner) ERC20("Stowage Devnet Token", "STOW") Ownable(owner) {}

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}
